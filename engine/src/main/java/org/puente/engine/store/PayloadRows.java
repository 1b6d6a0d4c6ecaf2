package org.puente.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.puente.audit.store.Jdbc;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The payload columns the outbox and the inbox share ({@code payload}, {@code payload_key_id},
 * {@code payload_purged_at}): how a stored payload reads back (decrypted, as submitted for a row
 * from before encryption, or purged), and the encryption of rows still in clear.
 *
 * <p>Implementation note: a row with no {@code payload_key_id} holds its payload as submitted: it
 * was written before the migration that brought encryption, or by an instance of the previous
 * version during a rolling upgrade on PostgreSQL. It still reads, and the payload sweep encrypts it
 * ({@link #encryptClear}); the column, not a guess from the first byte, tells the two apart,
 * because a payload in clear may begin with any byte.
 */
public final class PayloadRows {
    /** The columns {@link #read} needs, in a SELECT list. */
    public static final String COLUMNS = "payload, payload_key_id, payload_purged_at";
    /** What a purged payload column holds: zero bytes (the column is NOT NULL in both schemas). */
    public static final byte[] PURGED = new byte[0];

    private PayloadRows() {
    }

    /**
     * A payload as read from its row.
     *
     * @param bytes    the payload in clear, or null when purged
     * @param purgedAt when it was purged, or null
     */
    public record StoredPayload(UUID messageId, byte[] bytes, Instant purgedAt) {
        public boolean purged() {
            return purgedAt != null;
        }

        /**
         * The payload in clear.
         *
         * @throws PuenteException {@code payload_purged} when the retention removed it
         */
        public byte[] payload() {
            if (purgedAt != null) {
                throw purgedError(messageId, purgedAt);
            }
            return bytes;
        }
    }

    /** The error a request for a purged payload answers (HTTP 410). */
    public static PuenteException purgedError(UUID messageId, Instant purgedAt) {
        return new PuenteException(ErrorCode.PAYLOAD_PURGED, messageId, purgedAt);
    }

    /** Reads the {@link #COLUMNS} of the current row of {@code rs}. */
    public static StoredPayload read(ResultSet rs, PayloadCipher cipher, PayloadCipher.Column column, UUID messageId)
            throws SQLException {
        Instant purgedAt = Jdbc.instant(rs, "payload_purged_at");
        if (purgedAt != null) {
            return new StoredPayload(messageId, null, purgedAt);
        }
        byte[] stored = rs.getBytes("payload");
        boolean encrypted = rs.getObject("payload_key_id") != null;
        return new StoredPayload(messageId, encrypted ? cipher.open(column, messageId, stored) : stored, null);
    }

    /**
     * Encrypts at most {@code limit} payloads of {@code column} still stored as submitted, one row
     * at a time (so memory holds one payload, whatever their sizes).
     *
     * @return how many were encrypted
     */
    public static int encryptClear(Connection c, PayloadCipher cipher, PayloadCipher.Column column, int limit)
            throws SQLException {
        String table = column.table();
        String clear = "payload_key_id IS NULL AND payload_purged_at IS NULL";
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id FROM " + table + " WHERE " + clear
                + " LIMIT " + limit);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(Jdbc.uuid(rs, "message_id"));
            }
        }
        int done = 0;
        for (UUID id : ids) {
            byte[] payload;
            try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM " + table + " WHERE message_id = ? AND "
                    + clear)) {
                Jdbc.bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    payload = rs.getBytes(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET payload = ?, payload_key_id = ?"
                    + " WHERE message_id = ? AND " + clear)) {
                Jdbc.bind(ps, cipher.seal(column, id, payload), cipher.currentKeyId(), id);
                done += ps.executeUpdate();
            }
        }
        return done;
    }
}
