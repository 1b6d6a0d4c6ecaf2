package org.puente.routes.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;

/** SQL of the outbox: messages accepted from agencies until the peer receipts them. */
public final class OutboxStore {
    private static final String COLUMNS = "message_id, submitter, header_json, payload, payload_sha256, envelope,"
            + " envelope_sha256, state, attempts, expires_at, created_at";

    private final Dialect dialect;

    public OutboxStore(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * A new message as accepted from an agency, sealed, and reserved for this process's
     * dispatcher until {@code leaseUntil} (null: not reserved, any dispatcher claims it).
     */
    public record NewMessage(EnvelopeHeader header, String submitter, String idempotencyKey, byte[] requestSha256,
                             byte[] payload, byte[] payloadSha256, byte[] envelope, byte[] envelopeSha256,
                             String leaseOwner, Instant leaseUntil) {
    }

    /** What an idempotency key already points at. */
    public record PriorSubmission(UUID messageId, byte[] requestSha256) {
    }

    public void insert(Connection c, NewMessage m, Instant now) throws SQLException {
        EnvelopeHeader h = m.header();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (message_id, submitter, idempotency_key,"
                + " request_sha256, message_type, receiver, priority, header_json, payload, payload_sha256, envelope,"
                + " envelope_sha256, state, attempts, next_attempt_at, expires_at, lease_owner, lease_until, created_at,"
                + " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?,?,?)")) {
            Jdbc.bind(ps, h.messageId(), m.submitter(), m.idempotencyKey(), m.requestSha256(), h.messageType(),
                    h.receiver().agency(), (short) h.priority().rank(),
                    new String(CanonicalJson.bytes(h), java.nio.charset.StandardCharsets.UTF_8), m.payload(),
                    m.payloadSha256(), m.envelope(), m.envelopeSha256(), OutboxState.PENDING, now, h.expiresAt(),
                    m.leaseOwner(), m.leaseUntil(), h.createdAt(), now);
            ps.executeUpdate();
        }
    }

    public Optional<PriorSubmission> findByIdempotencyKey(Connection c, String submitter, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT message_id, request_sha256 FROM outbox WHERE submitter = ? AND idempotency_key = ?")) {
            Jdbc.bind(ps, submitter, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new PriorSubmission(Jdbc.uuid(rs, "message_id"), rs.getBytes("request_sha256")))
                        : Optional.empty();
            }
        }
    }

    /**
     * Reserves up to {@code limit} due messages for this dispatcher, most urgent first, and
     * returns them. A reservation lapses at {@code leaseUntil}, so a crashed instance's messages
     * are picked up again.
     */
    public List<OutboxEntry> claimDue(Connection c, Instant now, int limit, String owner, Instant leaseUntil)
            throws SQLException {
        List<UUID> ids = new ArrayList<>();
        String select = "SELECT message_id FROM outbox WHERE state = 'PENDING' AND next_attempt_at <= ?"
                + " AND (lease_until IS NULL OR lease_until < ?) ORDER BY priority, next_attempt_at"
                + " FETCH FIRST " + limit + " ROWS ONLY" + (dialect == Dialect.POSTGRESQL ? dialect.skipLocked() : "");
        try (PreparedStatement ps = c.prepareStatement(select)) {
            Jdbc.bind(ps, now, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(Jdbc.uuid(rs, "message_id"));
                }
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE message_id = ?")) {
            for (UUID id : ids) {
                Jdbc.bind(ps, owner, leaseUntil, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<OutboxEntry> entries = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            find(c, id).ifPresent(entries::add);
        }
        return entries;
    }

    public Optional<OutboxEntry> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE message_id = ?")) {
            Jdbc.bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The submitting agency of a message, for authorization of status reads. */
    public Optional<String> submitter(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT submitter FROM outbox WHERE message_id = ?")) {
            Jdbc.bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void recordSealed(Connection c, UUID id, byte[] envelope, byte[] envelopeSha256, Instant now) throws SQLException {
        update(c, "UPDATE outbox SET envelope = ?, envelope_sha256 = ?, updated_at = ? WHERE message_id = ? AND envelope IS NULL",
                envelope, envelopeSha256, now, id);
    }

    /** Final states: the lease is dropped and the message leaves the dispatch queue. */
    public int finish(Connection c, UUID id, OutboxState state, byte[] receipt, String errorCode, String detail, Instant now)
            throws SQLException {
        return update(c, "UPDATE outbox SET state = ?, receipt = COALESCE(?, receipt), last_error_code = ?,"
                + " last_error_detail = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL, updated_at = ?"
                + " WHERE message_id = ? AND state = 'PENDING'", state, receipt, errorCode, detail, now, id);
    }

    /** A retry later; only a PENDING message (another instance may have finished it meanwhile). */
    public void reschedule(Connection c, UUID id, Instant nextAttempt, String errorCode, String detail, Instant now)
            throws SQLException {
        update(c, "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error_code = ?,"
                + " last_error_detail = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE message_id = ?"
                + " AND state = 'PENDING'", nextAttempt, errorCode, detail, now, id);
    }

    /** After a signed delivery notice from the peer. */
    public int markDelivered(Connection c, UUID id, Instant now) throws SQLException {
        return update(c, "UPDATE outbox SET state = 'DELIVERED', updated_at = ? WHERE message_id = ? AND state = 'RECEIPTED'",
                now, id);
    }

    /** Back to the queue (operator re-drive of a dead letter); the same envelope is resent. */
    public int redrive(Connection c, UUID id, Instant now, Instant newExpiry) throws SQLException {
        return update(c, "UPDATE outbox SET state = 'PENDING', next_attempt_at = ?, expires_at = ?, lease_owner = NULL,"
                + " lease_until = NULL, updated_at = ? WHERE message_id = ? AND state = 'EXPIRED'", now, newExpiry, now, id);
    }

    /** Drops every reservation (single-instance start-up: no other dispatcher can hold one). */
    public void releaseAllLeases(Connection c) throws SQLException {
        update(c, "UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
    }

    public List<UUID> expiredIds(Connection c, int limit) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id FROM outbox WHERE state = 'EXPIRED'"
                + " ORDER BY updated_at FETCH FIRST " + limit + " ROWS ONLY");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(Jdbc.uuid(rs, "message_id"));
            }
        }
        return ids;
    }

    /** Undelivered backlog: count and creation time of the oldest pending message. */
    public record Backlog(long pending, Instant oldestCreatedAt) {
    }

    public Backlog backlog(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state = 'PENDING'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            java.time.OffsetDateTime oldest = rs.getObject(2, java.time.OffsetDateTime.class);
            return new Backlog(rs.getLong(1), oldest == null ? null : oldest.toInstant());
        }
    }

    private static OutboxEntry read(ResultSet rs) throws SQLException {
        return new OutboxEntry(Jdbc.uuid(rs, "message_id"), rs.getString("submitter"),
                CanonicalJson.read(rs.getString("header_json").getBytes(java.nio.charset.StandardCharsets.UTF_8), EnvelopeHeader.class), rs.getBytes("payload"),
                rs.getBytes("payload_sha256"), rs.getBytes("envelope"), rs.getBytes("envelope_sha256"),
                OutboxState.valueOf(rs.getString("state")), rs.getInt("attempts"), Jdbc.instant(rs, "expires_at"),
                Jdbc.instant(rs, "created_at"));
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            return ps.executeUpdate();
        }
    }
}
