package org.puente.engine.work;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.puente.audit.store.Jdbc;

/**
 * SQL of the operators' switches, kept in the database so that a switch thrown on one instance
 * holds for every instance sharing it (the work queue's claims read it in their own statement).
 */
public final class Switchboard {
    /** Delivery to the peer gateway: envelopes, notices and reconciliation reports. */
    public static final String PEER_DELIVERY = "peer-delivery";
    public static final String SUSPENDED = "SUSPENDED";
    public static final String RUNNING = "RUNNING";

    /** A switch's position, who threw it and why. */
    public record Position(boolean suspended, String reason, String actor, Instant since) {
        public static final Position RUNNING_SINCE_START = new Position(false, null, null, null);
    }

    public Position position(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value, reason, actor, changed_at FROM control WHERE name = ?")) {
            Jdbc.bind(ps, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Position.RUNNING_SINCE_START;
                }
                return new Position(SUSPENDED.equals(rs.getString("value")), rs.getString("reason"), rs.getString("actor"),
                        Jdbc.instant(rs, "changed_at"));
            }
        }
    }

    /**
     * Sets a switch (its reason and who threw it too, also when it is already in that position;
     * {@code since} moves only when the position changes); returns where it was before, so the
     * caller can say whether anything changed.
     */
    public Position set(Connection c, String name, boolean suspended, String reason, String actor, Instant now)
            throws SQLException {
        Position before = position(c, name);
        String value = suspended ? SUSPENDED : RUNNING;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO control (name, value, reason, actor, changed_at)"
                + " VALUES (?,?,?,?,?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, reason = excluded.reason,"
                + " actor = excluded.actor, changed_at = CASE WHEN control.value = excluded.value THEN control.changed_at"
                + " ELSE excluded.changed_at END")) {
            Jdbc.bind(ps, name, value, reason, actor, now);
            ps.executeUpdate();
        }
        return before;
    }
}
