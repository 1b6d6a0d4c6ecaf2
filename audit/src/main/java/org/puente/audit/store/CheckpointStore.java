package org.puente.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.puente.audit.StoredCheckpoint;

/** The signed checkpoints of the audit chain ({@link StoredCheckpoint}), stored beside it. */
public final class CheckpointStore {
    /** Stores a checkpoint; false if one for the same position exists (another instance was first). */
    public boolean insert(Connection c, StoredCheckpoint cp) throws SQLException {
        if (exists(c, cp.seq())) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_checkpoint (seq, hash, signed_at, statement) VALUES (?,?,?,?)")) {
            Jdbc.bind(ps, cp.seq(), cp.hash(), cp.signedAt(), cp.statement());
            ps.executeUpdate();
            return true;
        }
    }

    private static boolean exists(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM audit_checkpoint WHERE seq = ?")) {
            Jdbc.bind(ps, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Optional<StoredCheckpoint> latest(Connection c) throws SQLException {
        List<StoredCheckpoint> l = select(c, "SELECT seq, hash, signed_at, statement FROM audit_checkpoint"
                + " ORDER BY seq DESC LIMIT 1");
        return l.stream().findFirst();
    }

    /** Checkpoints with positions in {@code from..to} (inclusive), in chain order. */
    public List<StoredCheckpoint> between(Connection c, long from, long to) throws SQLException {
        return select(c, "SELECT seq, hash, signed_at, statement FROM audit_checkpoint WHERE seq >= ? AND seq <= ?"
                + " ORDER BY seq", from, to);
    }

    /** Every checkpoint, in chain order. */
    public List<StoredCheckpoint> all(Connection c) throws SQLException {
        return between(c, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public int deleteUpTo(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_checkpoint WHERE seq <= ?")) {
            Jdbc.bind(ps, seq);
            return ps.executeUpdate();
        }
    }

    private static List<StoredCheckpoint> select(Connection c, String sql, Object... params) throws SQLException {
        List<StoredCheckpoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredCheckpoint(rs.getLong(1), rs.getString(2), Jdbc.instant(rs, "signed_at"),
                            rs.getBytes(4)));
                }
            }
        }
        return out;
    }
}
