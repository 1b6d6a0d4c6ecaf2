package org.puente.routes.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;

/** SQL of the inbox: messages received from the peer, kept in each agency's mailbox until acknowledged. */
public final class InboxStore {
    public static final String STORED = "STORED";
    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";

    private static final String COLUMNS = "message_id, mailbox_seq, header_json, payload, payload_sha256,"
            + " envelope_sha256, state, received_at, delivered_at, acknowledged_at, push_attempts";

    /** A verified message to store, with the signed receipt that will answer it (now and for any duplicate). */
    public record NewMessage(EnvelopeHeader header, byte[] payload, byte[] payloadSha256, byte[] envelopeSha256,
                             byte[] receipt) {
    }

    /**
     * Stores a message; returns {@code false} when its id is already there (a duplicate, refused
     * by the primary key, not by a lookup).
     */
    public boolean insert(Connection c, NewMessage m, Instant now, Instant pushAt) throws SQLException {
        EnvelopeHeader h = m.header();
        // PostgreSQL aborts the whole transaction when a statement fails: without this savepoint the
        // duplicate check below, and everything else of the caller's unit, would fail too.
        Savepoint beforeInsert = c.getAutoCommit() ? null : c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbox (message_id, receiver, sender, message_type,"
                + " header_json, payload, payload_sha256, envelope_sha256, receipt, state, received_at, push_next_at)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            Jdbc.bind(ps, h.messageId(), h.receiver().agency(), h.sender().agency(), h.messageType(),
                    new String(CanonicalJson.bytes(h), StandardCharsets.UTF_8), m.payload(), m.payloadSha256(),
                    m.envelopeSha256(), m.receipt(), STORED, now, pushAt);
            ps.executeUpdate();
            if (beforeInsert != null) {
                c.releaseSavepoint(beforeInsert);
            }
            return true;
        } catch (SQLException e) {
            if (beforeInsert != null) {
                c.rollback(beforeInsert);
            }
            if (Jdbc.isDuplicateKey(e) && exists(c, h.messageId())) {
                return false;
            }
            throw e;
        }
    }

    /** The receipt given the first time a message arrived (answered again to a duplicate). */
    public Optional<byte[]> receiptOf(Connection c, UUID messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT receipt FROM inbox WHERE message_id = ?")) {
            Jdbc.bind(ps, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    public boolean exists(Connection c, UUID messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM inbox WHERE message_id = ?")) {
            Jdbc.bind(ps, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Unacknowledged messages of one agency after a mailbox position, oldest first. */
    public List<InboxEntry> mailbox(Connection c, String agency, long afterSeq, int limit) throws SQLException {
        List<InboxEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbox WHERE receiver = ? AND state = ?"
                + " AND mailbox_seq > ? ORDER BY mailbox_seq FETCH FIRST " + limit + " ROWS ONLY")) {
            Jdbc.bind(ps, agency, STORED, afterSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(read(rs));
                }
            }
        }
        return entries;
    }

    public Optional<InboxEntry> find(Connection c, UUID messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbox WHERE message_id = ?")) {
            Jdbc.bind(ps, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Marks first hand-over; returns whether this call was the first. */
    public boolean markDelivered(Connection c, UUID messageId, Instant now) throws SQLException {
        return OutboxStore.update(c, "UPDATE inbox SET delivered_at = ? WHERE message_id = ? AND delivered_at IS NULL",
                now, messageId) == 1;
    }

    /** Acknowledges a message of the agency's mailbox; returns whether this call changed it. */
    public boolean acknowledge(Connection c, String agency, UUID messageId, Instant now) throws SQLException {
        return OutboxStore.update(c, "UPDATE inbox SET state = ?, acknowledged_at = ?,"
                + " delivered_at = COALESCE(delivered_at, ?) WHERE message_id = ? AND receiver = ? AND state = ?",
                ACKNOWLEDGED, now, now, messageId, agency, STORED) == 1;
    }

    /** Messages due for push delivery to agencies with a push endpoint. */
    public List<InboxEntry> duePush(Connection c, List<String> agencies, Instant now, int limit) throws SQLException {
        if (agencies.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", java.util.Collections.nCopies(agencies.size(), "?"));
        List<InboxEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbox WHERE state = 'STORED'"
                + " AND push_next_at <= ? AND receiver IN (" + marks + ") ORDER BY mailbox_seq FETCH FIRST " + limit + " ROWS ONLY")) {
            Object[] params = new Object[agencies.size() + 1];
            params[0] = now;
            for (int i = 0; i < agencies.size(); i++) {
                params[i + 1] = agencies.get(i);
            }
            Jdbc.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(read(rs));
                }
            }
        }
        return entries;
    }

    public void reschedulePush(Connection c, UUID messageId, Instant next) throws SQLException {
        OutboxStore.update(c, "UPDATE inbox SET push_attempts = push_attempts + 1, push_next_at = ? WHERE message_id = ?",
                next, messageId);
    }

    /** Mailbox depth of one agency (or all when {@code agency} is null) and its oldest message time. */
    public record Depth(long messages, Instant oldestReceivedAt) {
    }

    public Depth depth(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MIN(received_at) FROM inbox WHERE state = 'STORED'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            java.time.OffsetDateTime oldest = rs.getObject(2, java.time.OffsetDateTime.class);
            return new Depth(rs.getLong(1), oldest == null ? null : oldest.toInstant());
        }
    }

    private static InboxEntry read(ResultSet rs) throws SQLException {
        return new InboxEntry(Jdbc.uuid(rs, "message_id"), rs.getLong("mailbox_seq"),
                CanonicalJson.read(rs.getString("header_json").getBytes(StandardCharsets.UTF_8), EnvelopeHeader.class),
                rs.getBytes("payload"), rs.getBytes("payload_sha256"), rs.getBytes("envelope_sha256"),
                rs.getString("state"), Jdbc.instant(rs, "received_at"), Jdbc.instant(rs, "delivered_at"),
                Jdbc.instant(rs, "acknowledged_at"), rs.getInt("push_attempts"));
    }
}
