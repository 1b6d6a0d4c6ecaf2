package org.puente.engine.outbound;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.audit.store.Jdbc;
import org.puente.engine.store.PayloadCipher;
import org.puente.engine.store.PayloadRows;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;

/**
 * SQL of the outbox: messages accepted from this country's agencies, and their fate at the peer.
 * Payloads are stored encrypted ({@link PayloadCipher}) and purged once the message is finished
 * and its retention has passed.
 */
public final class OutboxStore {
    private static final String COLUMNS = "message_id, submitter, header_json, payload_sha256,"
            + " envelope_sha256, state, attempts, expires_at, created_at";
    /** The states after which nothing here reads the payload again but a re-drive of an EXPIRED message. */
    private static final String FINISHED = "('RECEIPTED','DELIVERED','FAILED','EXPIRED')";

    private final PayloadCipher payloads;

    public OutboxStore(PayloadCipher payloads) {
        this.payloads = payloads;
    }

    /** A new message as accepted from an agency, sealed. */
    public record NewMessage(EnvelopeHeader header, String submitter, String idempotencyKey, byte[] requestSha256,
                             byte[] payload, byte[] payloadSha256, byte[] envelope, byte[] envelopeSha256) {
    }

    /** What an idempotency key already points at. */
    public record PriorSubmission(UUID messageId, byte[] requestSha256) {
    }

    public void insert(Connection c, NewMessage m, Instant now) throws SQLException {
        EnvelopeHeader h = m.header();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (message_id, submitter, idempotency_key,"
                + " request_sha256, message_type, receiver, priority, header_json, payload, payload_key_id, payload_sha256,"
                + " envelope, envelope_sha256, state, attempts, expires_at, created_at, updated_at)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?)")) {
            Jdbc.bind(ps, h.messageId(), m.submitter(), m.idempotencyKey(), m.requestSha256(), h.messageType(),
                    h.receiver().agency(), (short) h.priority().rank(), json(h),
                    payloads.seal(PayloadCipher.Column.OUTBOX, h.messageId(), m.payload()), payloads.currentKeyId(),
                    m.payloadSha256(), m.envelope(), m.envelopeSha256(), OutboxState.PENDING, h.expiresAt(),
                    h.createdAt(), now);
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

    public Optional<OutboxEntry> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE message_id = ?")) {
            Jdbc.bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** A message about to be sent, with its sealed envelope (null once the retention purged it). */
    public record Outgoing(OutboxEntry entry, byte[] envelope) {
    }

    /**
     * Several messages at once with their envelopes (a batch for the peer), in no particular order.
     * The only read of the envelope column: the other reads leave it on disk, so a status poll of a
     * 64 MiB message costs no 64 MiB of heap.
     */
    public List<Outgoing> findForSending(Connection c, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Outgoing> out = new ArrayList<>(ids.size());
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", envelope FROM outbox WHERE message_id IN ("
                + String.join(",", Collections.nCopies(ids.size(), "?")) + ")")) {
            Jdbc.bind(ps, ids.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Outgoing(read(rs), rs.getBytes("envelope")));
                }
            }
        }
        return out;
    }

    /**
     * The payload exactly as submitted, decrypted.
     *
     * @throws org.puente.model.error.PuenteException {@code payload_purged} once the retention has
     *         removed it; {@code internal_error} if the stored bytes are not this row's payload
     */
    public Optional<byte[]> payload(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + PayloadRows.COLUMNS
                + " FROM outbox WHERE message_id = ?")) {
            Jdbc.bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(PayloadRows.read(rs, payloads, PayloadCipher.Column.OUTBOX, id).payload())
                        : Optional.empty();
            }
        }
    }

    /**
     * Purges the payloads (and sealed envelopes) of at most {@code limit} finished messages whose
     * last change is older than {@code finishedBefore}: every state but PENDING (the peer has the
     * message, refused it, or it expired). Digests, receipts, notices and states stay.
     *
     * @return how many payloads were purged
     */
    public int purgePayloads(Connection c, Instant finishedBefore, Instant now, int limit) throws SQLException {
        String due = "state IN " + FINISHED + " AND updated_at < ? AND payload_purged_at IS NULL";
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET payload = ?, envelope = NULL,"
                + " payload_purged_at = ? WHERE message_id IN (SELECT message_id FROM outbox WHERE " + due
                + " ORDER BY updated_at LIMIT " + limit + ") AND " + due)) {
            Jdbc.bind(ps, PayloadRows.PURGED, now, finishedBefore, finishedBefore);
            return ps.executeUpdate();
        }
    }

    /** Encrypts at most {@code limit} payloads still stored as submitted (rows from before encryption). */
    public int encryptClearPayloads(Connection c, int limit) throws SQLException {
        return PayloadRows.encryptClear(c, payloads, PayloadCipher.Column.OUTBOX, limit);
    }

    /** The signed proofs the peer gave for a message: its receipt and its delivery notice (either may be absent). */
    public record Proofs(byte[] receipt, byte[] deliveryNotice) {
    }

    public Optional<Proofs> proofs(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT receipt, delivery_notice FROM outbox WHERE message_id = ?")) {
            Jdbc.bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Proofs(rs.getBytes(1), rs.getBytes(2))) : Optional.empty();
            }
        }
    }

    /**
     * Moves a message from one state to another, setting the given columns; only if it is still
     * in {@code from} (another instance, or another outcome, may have got there first).
     *
     * @param assignments column assignments, e.g. {@code "receipt = ?"}, with their values in {@code values}
     * @return whether this call made the change
     */
    boolean move(Connection c, UUID id, OutboxState from, OutboxState to, boolean attempted, List<String> assignments,
                 List<Object> values, Instant now) throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE outbox SET state = ?, updated_at = ?");
        if (attempted) {
            sql.append(", attempts = attempts + 1");
        }
        for (String a : assignments) {
            sql.append(", ").append(a);
        }
        sql.append(" WHERE message_id = ? AND state = ?");
        List<Object> params = new ArrayList<>();
        params.add(to);
        params.add(now);
        params.addAll(values);
        params.add(id);
        params.add(from);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Jdbc.bind(ps, params.toArray());
            return ps.executeUpdate() == 1;
        }
    }

    /** Undelivered backlog: count and creation time of the oldest pending message. */
    public record Backlog(long pending, Instant oldestCreatedAt) {
    }

    public Backlog backlog(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state = ?")) {
            Jdbc.bind(ps, OutboxState.PENDING);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Backlog(rs.getLong(1), Jdbc.instant(rs, 2));
            }
        }
    }

    static String json(EnvelopeHeader h) {
        return new String(CanonicalJson.bytes(h), StandardCharsets.UTF_8);
    }

    private static OutboxEntry read(ResultSet rs) throws SQLException {
        return new OutboxEntry(Jdbc.uuid(rs, "message_id"), rs.getString("submitter"),
                CanonicalJson.read(rs.getString("header_json").getBytes(StandardCharsets.UTF_8), EnvelopeHeader.class),
                rs.getBytes("payload_sha256"), rs.getBytes("envelope_sha256"),
                OutboxState.valueOf(rs.getString("state")), rs.getInt("attempts"), Jdbc.instant(rs, "expires_at"),
                Jdbc.instant(rs, "created_at"));
    }
}
