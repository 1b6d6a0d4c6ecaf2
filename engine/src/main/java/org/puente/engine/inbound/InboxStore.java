package org.puente.engine.inbound;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.audit.store.Jdbc;
import org.puente.engine.store.PayloadCipher;
import org.puente.engine.store.PayloadRows;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;

/**
 * SQL of the inbox: messages received from the peer, kept in each agency's mailbox until
 * acknowledged. Payloads are stored encrypted ({@link PayloadCipher}) and purged once the message
 * is acknowledged and its retention has passed.
 */
public final class InboxStore {
    public static final String STORED = "STORED";
    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";

    private static final String WITHDRAWAL = "(SELECT w.%s FROM message_withdrawal w WHERE w.message_id = inbox.message_id"
            + " AND w.direction = 'RECEIVED') AS withdrawal_%s";
    private static final String COLUMNS = "message_id, mailbox_seq, header_json, " + PayloadRows.COLUMNS
            + ", payload_sha256, envelope_sha256, state, received_at, delivered_at, acknowledged_at, delivered_via, "
            + String.format(WITHDRAWAL, "kind", "kind") + ", " + String.format(WITHDRAWAL, "reason", "reason") + ", "
            + String.format(WITHDRAWAL, "replacement_id", "replacement") + ", " + String.format(WITHDRAWAL, "at", "at");

    private final PayloadCipher payloads;

    public InboxStore(PayloadCipher payloads) {
        this.payloads = payloads;
    }

    /** A verified message to store, with the signed receipt that will answer it (now and for any duplicate). */
    public record NewMessage(EnvelopeHeader header, byte[] payload, byte[] payloadSha256, byte[] envelopeSha256,
                             byte[] receipt) {
    }

    /**
     * Stores a message; returns {@code false} when its id is already there (a duplicate, refused
     * by the unique constraint, not by a lookup).
     */
    boolean insert(Connection c, NewMessage m, Instant now) throws SQLException {
        EnvelopeHeader h = m.header();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbox (message_id, receiver, sender, message_type,"
                + " header_json, payload, payload_key_id, payload_sha256, envelope_sha256, receipt, state, received_at)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (message_id) DO NOTHING")) {
            Jdbc.bind(ps, h.messageId(), h.receiver().agency(), h.sender().agency(), h.messageType(),
                    new String(CanonicalJson.bytes(h), StandardCharsets.UTF_8),
                    payloads.seal(PayloadCipher.Column.INBOX, h.messageId(), m.payload()), payloads.currentKeyId(),
                    m.payloadSha256(), m.envelopeSha256(), m.receipt(), STORED, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** The receipt given the first time a message arrived (answered again to a duplicate). */
    public Optional<byte[]> receiptOf(Connection c, UUID messageId) throws SQLException {
        return stored(c, messageId).map(Stored::receipt);
    }

    /**
     * Unacknowledged messages of one agency after a mailbox position, oldest first: at most
     * {@code limit} of them, together carrying at most {@code maxBytes} of payload (but always the
     * first one, however large). The sizes are read first and only the payloads of the page are
     * loaded, so a mailbox of large messages cannot fill the heap.
     */
    public List<InboxEntry> mailbox(Connection c, String agency, long afterSeq, int limit, long maxBytes) throws SQLException {
        List<Long> page = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT mailbox_seq, octet_length(payload) FROM inbox WHERE receiver = ?"
                + " AND state = ? AND mailbox_seq > ? ORDER BY mailbox_seq LIMIT " + limit)) {
            Jdbc.bind(ps, agency, STORED, afterSeq);
            try (ResultSet rs = ps.executeQuery()) {
                long bytes = 0;
                while (rs.next()) {
                    long size = rs.getLong(2);
                    if (!page.isEmpty() && bytes + size > maxBytes) {
                        break;
                    }
                    bytes += size;
                    page.add(rs.getLong(1));
                }
            }
        }
        if (page.isEmpty()) {
            return List.of();
        }
        List<InboxEntry> entries = new ArrayList<>(page.size());
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbox WHERE receiver = ? AND state = ?"
                + " AND mailbox_seq >= ? AND mailbox_seq <= ? ORDER BY mailbox_seq LIMIT " + page.size())) {
            Jdbc.bind(ps, agency, STORED, page.get(0), page.get(page.size() - 1));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(read(rs));
                }
            }
        }
        return entries;
    }

    /** Unacknowledged messages of one agency that were handed over through {@code via}, oldest first. */
    public List<InboxEntry> handedOverVia(Connection c, String agency, String via, long afterSeq, int limit)
            throws SQLException {
        List<InboxEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbox WHERE receiver = ? AND state = ?"
                + " AND delivered_via = ? AND mailbox_seq > ? ORDER BY mailbox_seq LIMIT " + limit)) {
            Jdbc.bind(ps, agency, STORED, via, afterSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(read(rs));
                }
            }
        }
        return entries;
    }

    /** A message already stored, as a duplicate of it is answered and audited. */
    public record Stored(EnvelopeHeader header, byte[] receipt, byte[] payloadSha256, byte[] envelopeSha256) {
    }

    /** The message stored under {@code messageId}, without its payload: what a duplicate is answered and audited with. */
    public Optional<Stored> stored(Connection c, UUID messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT header_json, receipt, payload_sha256, envelope_sha256"
                + " FROM inbox WHERE message_id = ?")) {
            Jdbc.bind(ps, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(CanonicalJson.read(rs.getString(1).getBytes(StandardCharsets.UTF_8),
                        EnvelopeHeader.class), rs.getBytes(2), rs.getBytes(3), rs.getBytes(4))) : Optional.empty();
            }
        }
    }

    /** A received message's header alone (no payload read or decrypted). */
    public Optional<EnvelopeHeader> header(Connection c, UUID messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT header_json FROM inbox WHERE message_id = ?")) {
            Jdbc.bind(ps, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(CanonicalJson.read(rs.getString(1).getBytes(StandardCharsets.UTF_8),
                        EnvelopeHeader.class)) : Optional.empty();
            }
        }
    }

    public Optional<InboxEntry> find(Connection c, UUID messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbox WHERE message_id = ?")) {
            Jdbc.bind(ps, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Marks the first hand-over; returns whether this call was the first. */
    boolean markDelivered(Connection c, UUID messageId, String via, Instant now) throws SQLException {
        return update(c, "UPDATE inbox SET delivered_at = ?, delivered_via = ? WHERE message_id = ? AND delivered_at IS NULL",
                now, via, messageId) == 1;
    }

    /** Acknowledges a message of the agency's mailbox; returns whether this call changed it. */
    boolean acknowledge(Connection c, String agency, UUID messageId, String via, Instant now) throws SQLException {
        return update(c, "UPDATE inbox SET state = ?, acknowledged_at = ?, delivered_at = COALESCE(delivered_at, ?),"
                + " delivered_via = COALESCE(delivered_via, ?) WHERE message_id = ? AND receiver = ? AND state = ?",
                ACKNOWLEDGED, now, now, via, messageId, agency, STORED) == 1;
    }

    /**
     * Purges the payloads of at most {@code limit} messages acknowledged before
     * {@code acknowledgedBefore}; digests, receipts and states stay.
     *
     * @return how many payloads were purged
     */
    public int purgePayloads(Connection c, Instant acknowledgedBefore, Instant now, int limit) throws SQLException {
        String due = "state = ? AND acknowledged_at < ? AND payload_purged_at IS NULL";
        try (PreparedStatement ps = c.prepareStatement("UPDATE inbox SET payload = ?, payload_purged_at = ?"
                + " WHERE message_id IN (SELECT message_id FROM inbox WHERE " + due + " ORDER BY acknowledged_at LIMIT "
                + limit + ") AND " + due)) {
            Jdbc.bind(ps, PayloadRows.PURGED, now, ACKNOWLEDGED, acknowledgedBefore, ACKNOWLEDGED, acknowledgedBefore);
            return ps.executeUpdate();
        }
    }

    /** Encrypts at most {@code limit} payloads still stored as submitted (rows from before encryption). */
    public int encryptClearPayloads(Connection c, int limit) throws SQLException {
        return PayloadRows.encryptClear(c, payloads, PayloadCipher.Column.INBOX, limit);
    }

    /** Mailbox depth (every agency) and its oldest message time. */
    public record Depth(long messages, Instant oldestReceivedAt) {
    }

    /** Read every second by the health check: an index search (ix_inbox_state), never a scan of the inbox. */
    static final String DEPTH = "SELECT COUNT(*), MIN(received_at) FROM inbox WHERE state = ?";

    public Depth depth(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DEPTH)) {
            Jdbc.bind(ps, STORED);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Depth(rs.getLong(1), Jdbc.instant(rs, 2));
            }
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            return ps.executeUpdate();
        }
    }

    private InboxEntry read(ResultSet rs) throws SQLException {
        UUID id = Jdbc.uuid(rs, "message_id");
        PayloadRows.StoredPayload payload = PayloadRows.read(rs, payloads, PayloadCipher.Column.INBOX, id);
        return new InboxEntry(id, rs.getLong("mailbox_seq"),
                CanonicalJson.read(rs.getString("header_json").getBytes(StandardCharsets.UTF_8), EnvelopeHeader.class),
                payload.bytes(), rs.getBytes("payload_sha256"), rs.getBytes("envelope_sha256"),
                rs.getString("state"), Jdbc.instant(rs, "received_at"), Jdbc.instant(rs, "delivered_at"),
                Jdbc.instant(rs, "acknowledged_at"), rs.getString("delivered_via"), payload.purgedAt(),
                rs.getString("withdrawal_kind") == null ? null : new InboxEntry.Withdrawal(rs.getString("withdrawal_kind"),
                        rs.getString("withdrawal_reason"), Jdbc.uuid(rs, "withdrawal_replacement"),
                        Jdbc.instant(rs, "withdrawal_at")));
    }
}
