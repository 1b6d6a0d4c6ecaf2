package org.puente.routes.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;

/**
 * SQL of the outbox's dead letters: the expiry sweep that dead-letters pending messages whose
 * time-to-live ran out (also while delivery is suspended and nothing is claimed), the operators'
 * list of EXPIRED messages, and their re-drive with a renewed header.
 */
public final class DeadLetterStore {

    /** An EXPIRED message as operators see it: metadata only, never the payload. */
    public record DeadLetter(UUID messageId, String submitter, EnvelopeHeader header, int attempts, Instant expiredAt,
                             String lastErrorCode, String lastErrorDetail) {
    }

    /** Pending messages past their expiry that no dispatcher holds (oldest expiry first). */
    public List<UUID> dueToExpire(Connection c, Instant now, int limit) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id FROM outbox WHERE state = 'PENDING'"
                + " AND expires_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY expires_at"
                + " FETCH FIRST " + limit + " ROWS ONLY")) {
            Jdbc.bind(ps, now, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(Jdbc.uuid(rs, "message_id"));
                }
            }
        }
        return ids;
    }

    /**
     * Dead-letters one message if it is still pending, past its expiry and not held by a
     * dispatcher: a send in flight is left to the dispatcher, whose receipt must win.
     *
     * @return 1 if it was expired now, 0 if another outcome got there first
     */
    public int expire(Connection c, UUID id, String errorCode, String detail, Instant now) throws SQLException {
        return OutboxStore.update(c, "UPDATE outbox SET state = 'EXPIRED', last_error_code = ?, last_error_detail = ?,"
                + " lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE message_id = ? AND state = 'PENDING'"
                + " AND expires_at <= ? AND (lease_until IS NULL OR lease_until < ?)", errorCode, detail, now, id, now, now);
    }

    /** EXPIRED messages, the longest dead first. */
    public List<DeadLetter> list(Connection c, int limit) throws SQLException {
        List<DeadLetter> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id, submitter, header_json, attempts, updated_at,"
                + " last_error_code, last_error_detail FROM outbox WHERE state = 'EXPIRED' ORDER BY updated_at, message_id"
                + " FETCH FIRST " + limit + " ROWS ONLY");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new DeadLetter(Jdbc.uuid(rs, "message_id"), rs.getString("submitter"),
                        CanonicalJson.read(rs.getString("header_json").getBytes(StandardCharsets.UTF_8), EnvelopeHeader.class),
                        rs.getInt("attempts"), Jdbc.instant(rs, "updated_at"), rs.getString("last_error_code"),
                        rs.getString("last_error_detail")));
            }
        }
        return out;
    }

    public long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE state = 'EXPIRED'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Puts an EXPIRED message back in the queue under a renewed header (same message id and
     * payload, a new creation time, so a new expiry): the old envelope is dropped, because its
     * signed header has expired and the peer would refuse it, and the dispatcher seals anew.
     * Attempts restart from zero so the first retry is not held back by the old backoff, and the
     * row's creation time follows the header so backlog ages count from the re-drive.
     *
     * @return 1 if re-driven, 0 if the message is not (or no longer) EXPIRED
     */
    public int renew(Connection c, EnvelopeHeader renewed, Instant now) throws SQLException {
        return OutboxStore.update(c, "UPDATE outbox SET state = 'PENDING', header_json = ?, envelope = NULL,"
                + " envelope_sha256 = NULL, receipt = NULL, attempts = 0, next_attempt_at = ?, expires_at = ?,"
                + " created_at = ?, last_error_code = NULL, last_error_detail = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?"
                + " WHERE message_id = ? AND state = 'EXPIRED'",
                new String(CanonicalJson.bytes(renewed), StandardCharsets.UTF_8), now, renewed.expiresAt(),
                renewed.createdAt(), now, renewed.messageId());
    }
}
