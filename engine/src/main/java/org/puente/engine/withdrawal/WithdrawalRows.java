package org.puente.engine.withdrawal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.puente.audit.store.Jdbc;
import org.puente.engine.peer.DeliveryNotice;

/**
 * Table {@code message_withdrawal}: the sending agency cancelled or replaced a message we sent
 * ({@link #SENT}) or one we received ({@link #RECEIVED}, with the peer's signed notice). One per
 * message; the first stands. A message replaces at most one other.
 */
final class WithdrawalRows {
    static final String SENT = "SENT";
    static final String RECEIVED = "RECEIVED";

    private WithdrawalRows() {
    }

    /** A stored withdrawal. */
    record Row(UUID messageId, String direction, String agency, DeliveryNotice.Withdrawal withdrawal, Instant at,
               Instant sentAt) {
        String kind() {
            return withdrawal.replacement() == null ? DeliveryNotice.CANCELLED : DeliveryNotice.REPLACED;
        }
    }

    /** Stores it unless the message has one (or the replacement replaces another); returns whether it was stored. */
    static boolean insert(Connection c, UUID messageId, String direction, String agency, DeliveryNotice.Withdrawal w,
                          Instant at, String by, byte[] notice) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message_withdrawal (message_id, direction, kind, reason,"
                + " replacement_id, agency, at, withdrawn_by, notice) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")) {
            Jdbc.bind(ps, messageId, direction, w.replacement() == null ? DeliveryNotice.CANCELLED : DeliveryNotice.REPLACED,
                    w.reason(), w.replacement(), agency, at, by.length() > 400 ? by.substring(0, 400) : by, notice);
            return ps.executeUpdate() == 1;
        }
    }

    static Optional<Row> find(Connection c, UUID messageId) throws SQLException {
        return select(c, "message_id = ?", messageId);
    }

    /** The withdrawal whose replacement is this message, if any. */
    static Optional<Row> replacedBy(Connection c, UUID replacement) throws SQLException {
        return select(c, "replacement_id = ?", replacement);
    }

    /** The peer recorded the withdrawal we sent. */
    static void sent(Connection c, UUID messageId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE message_withdrawal SET sent_at = ? WHERE message_id = ?"
                + " AND direction = ? AND sent_at IS NULL")) {
            Jdbc.bind(ps, at, messageId, SENT);
            ps.executeUpdate();
        }
    }

    private static Optional<Row> select(Connection c, String where, Object param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id, direction, agency, reason, replacement_id, at,"
                + " sent_at FROM message_withdrawal WHERE " + where)) {
            Jdbc.bind(ps, param);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(Jdbc.uuid(rs, "message_id"), rs.getString("direction"), rs.getString("agency"),
                        new DeliveryNotice.Withdrawal(rs.getString("reason"), Jdbc.uuid(rs, "replacement_id")),
                        Jdbc.instant(rs, "at"), Jdbc.instant(rs, "sent_at")));
            }
        }
    }
}
