package org.puente.engine.outbound;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.puente.audit.store.Jdbc;

/** SQL of the status history of outbound messages (written by the {@link OutboundLedger} alone). */
public final class StatusStore {

    /** One step of a message's history. */
    public record Entry(MessageStatus status, Instant at, String errorCode, String detail) {
    }

    /** Appends a status once: a repeated notice for the same status is ignored (by constraint). */
    void append(Connection c, UUID messageId, MessageStatus status, Instant at, String errorCode, String detail)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message_status (message_id, status, at, error_code, detail)"
                + " VALUES (?,?,?,?,?) ON CONFLICT (message_id, status) DO NOTHING")) {
            Jdbc.bind(ps, messageId, status, at, errorCode, detail);
            ps.executeUpdate();
        }
    }

    public List<Entry> history(Connection c, UUID messageId) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status, at, error_code, detail FROM message_status WHERE message_id = ? ORDER BY id")) {
            Jdbc.bind(ps, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(MessageStatus.valueOf(rs.getString("status")), Jdbc.instant(rs, "at"),
                            rs.getString("error_code"), rs.getString("detail")));
                }
            }
        }
        return entries;
    }
}
