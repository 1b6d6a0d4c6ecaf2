package org.puente.routes.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL of the delivery notices waiting to be sent to the peer gateway. */
public final class NoticeStore {

    /** A notice to send: the receiving agency took the message. */
    public record Notice(long id, UUID messageId, String kind, String agency, Instant at, int attempts) {
    }

    public void enqueue(Connection c, UUID messageId, String kind, String agency, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notice_outbox (message_id, kind, agency, at, state,"
                + " next_attempt_at) SELECT ?, ?, ?, ?, 'PENDING', ? WHERE NOT EXISTS"
                + " (SELECT 1 FROM notice_outbox WHERE message_id = ? AND kind = ?)")) {
            Jdbc.bind(ps, messageId, kind, agency, at, at, messageId, kind);
            ps.executeUpdate();
        }
    }

    public List<Notice> due(Connection c, Instant now, int limit) throws SQLException {
        List<Notice> notices = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, message_id, kind, agency, at, attempts FROM notice_outbox"
                + " WHERE state = 'PENDING' AND next_attempt_at <= ? ORDER BY id FETCH FIRST " + limit + " ROWS ONLY")) {
            Jdbc.bind(ps, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    notices.add(new Notice(rs.getLong("id"), Jdbc.uuid(rs, "message_id"), rs.getString("kind"),
                            rs.getString("agency"), Jdbc.instant(rs, "at"), rs.getInt("attempts")));
                }
            }
        }
        return notices;
    }

    public void markSent(Connection c, long id) throws SQLException {
        OutboxStore.update(c, "UPDATE notice_outbox SET state = 'SENT', attempts = attempts + 1 WHERE id = ?", id);
    }

    public void reschedule(Connection c, long id, Instant next) throws SQLException {
        OutboxStore.update(c, "UPDATE notice_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?", next, id);
    }

    public long pending(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM notice_outbox WHERE state = 'PENDING'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
