package org.puente.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.puente.audit.StoredCheckpoint;

/**
 * The signed checkpoints of the audit chain ({@link StoredCheckpoint}), stored beside it. Rows are
 * only ever added (and removed with their entries by retention); the database refuses anything
 * else (migrations V4 on PostgreSQL, V2 on SQLite).
 */
public final class CheckpointStore {
    /**
     * Stores a checkpoint that names the checkpoint at {@code previousSeq} as its predecessor;
     * false if a checkpoint for the same position, or another successor of the same predecessor,
     * is there already (another instance was first: the checkpoints stay one chain, never a fork).
     *
     * <p>Implementation note: both positions are unique in the table and the insert does nothing on
     * a conflict, on either database, so two instances that sign at the same moment cannot both
     * store a successor of the same checkpoint, and neither fails its unit of work.
     */
    public boolean insert(Connection c, StoredCheckpoint cp, long previousSeq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checkpoint (seq, hash, signed_at, statement,"
                + " previous_seq) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING")) {
            Jdbc.bind(ps, cp.seq(), cp.hash(), cp.signedAt(), cp.statement(), previousSeq);
            return ps.executeUpdate() == 1;
        }
    }

    public Optional<StoredCheckpoint> latest(Connection c) throws SQLException {
        List<StoredCheckpoint> l = select(c, "SELECT seq, hash, signed_at, statement FROM audit_checkpoint"
                + " ORDER BY seq DESC LIMIT 1");
        return l.stream().findFirst();
    }

    /** The first checkpoint at position {@code seq} or after it: the one that vouches for that entry. */
    public Optional<StoredCheckpoint> firstAtOrAfter(Connection c, long seq) throws SQLException {
        return select(c, "SELECT seq, hash, signed_at, statement FROM audit_checkpoint WHERE seq >= ? ORDER BY seq LIMIT 1",
                seq).stream().findFirst();
    }

    /** The last checkpoint at position {@code seq} or before it. */
    public Optional<StoredCheckpoint> lastAtOrBefore(Connection c, long seq) throws SQLException {
        return select(c, "SELECT seq, hash, signed_at, statement FROM audit_checkpoint WHERE seq <= ? ORDER BY seq DESC"
                + " LIMIT 1", seq).stream().findFirst();
    }

    /** Checkpoints with positions in {@code from..to} (inclusive), in chain order. */
    public List<StoredCheckpoint> between(Connection c, long from, long to) throws SQLException {
        return select(c, "SELECT seq, hash, signed_at, statement FROM audit_checkpoint WHERE seq >= ? AND seq <= ?"
                + " ORDER BY seq", from, to);
    }

    /** How many checkpoints have positions in {@code from..to} (inclusive). */
    public long count(Connection c, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_checkpoint WHERE seq >= ? AND seq <= ?")) {
            Jdbc.bind(ps, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every checkpoint, in chain order. */
    public List<StoredCheckpoint> all(Connection c) throws SQLException {
        return between(c, Long.MIN_VALUE, Long.MAX_VALUE);
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
