package org.puente.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Both sides of cross-witnessing (docs/audit.md, "Cross-witnessing"): the peer's cosignatures of
 * this gateway's checkpoints ({@code audit_cosignature}), and the peer's checkpoints this gateway
 * witnessed — cosigned, or refused and kept as evidence ({@code witnessed_checkpoint}). Rows are
 * only ever added (migrations V11 on PostgreSQL, V9 on SQLite).
 */
public final class WitnessStore {
    public static final String COSIGNED = "COSIGNED";
    public static final String REFUSED = "REFUSED";

    /** The peer's cosignature of our checkpoint at {@code seq} (= its tree size). */
    public record Cosignature(long seq, String witness, String rootHash, Instant cosignedAt, byte[] statement) {
    }

    /** A checkpoint of the peer's log, as this gateway witnessed it. */
    public record Witnessed(String origin, long treeSize, String rootHash, String verdict, String reason, Instant at,
                            byte[] checkpoint, byte[] cosignature) {
    }

    /** Records a cosignature; false if one for that checkpoint is there already. */
    public boolean addCosignature(Connection c, Cosignature s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_cosignature (seq, witness, root_hash, cosigned_at,"
                + " statement) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING")) {
            Jdbc.bind(ps, s.seq(), s.witness(), s.rootHash(), s.cosignedAt(), s.statement());
            return ps.executeUpdate() == 1;
        }
    }

    /** The latest of our checkpoints the peer cosigned. */
    public Optional<Cosignature> latestCosignature(Connection c) throws SQLException {
        return cosignatures(c, "SELECT seq, witness, root_hash, cosigned_at, statement FROM audit_cosignature"
                + " ORDER BY seq DESC LIMIT 1").stream().findFirst();
    }

    /** The first cosigned checkpoint whose tree holds position {@code seq}: the one that proves that entry. */
    public Optional<Cosignature> cosignatureCovering(Connection c, long seq) throws SQLException {
        return cosignatures(c, "SELECT seq, witness, root_hash, cosigned_at, statement FROM audit_cosignature"
                + " WHERE seq >= ? ORDER BY seq LIMIT 1", seq).stream().findFirst();
    }

    /** Cosignatures of checkpoints {@code from..to} (inclusive), in order. */
    public List<Cosignature> cosignatures(Connection c, long from, long to) throws SQLException {
        return cosignatures(c, "SELECT seq, witness, root_hash, cosigned_at, statement FROM audit_cosignature"
                + " WHERE seq >= ? AND seq <= ? ORDER BY seq", from, to);
    }

    public void addWitnessed(Connection c, Witnessed w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO witnessed_checkpoint (origin, tree_size, root_hash,"
                + " verdict, reason, at, checkpoint, cosignature) VALUES (?,?,?,?,?,?,?,?)")) {
            Jdbc.bind(ps, w.origin(), w.treeSize(), w.rootHash(), w.verdict(), w.reason(), w.at(), w.checkpoint(),
                    w.cosignature());
            ps.executeUpdate();
        }
    }

    /** The largest checkpoint of {@code origin} this gateway cosigned: every later one must extend it. */
    public Optional<Witnessed> lastCosigned(Connection c, String origin) throws SQLException {
        return witnessed(c, "SELECT origin, tree_size, root_hash, verdict, reason, at, checkpoint, cosignature"
                + " FROM witnessed_checkpoint WHERE origin = ? AND verdict = 'COSIGNED' ORDER BY tree_size DESC, id DESC"
                + " LIMIT 1", origin).stream().findFirst();
    }

    /** The peer's checkpoints this gateway refused, newest first (at most {@code limit}). */
    public List<Witnessed> refused(Connection c, String origin, int limit) throws SQLException {
        return witnessed(c, "SELECT origin, tree_size, root_hash, verdict, reason, at, checkpoint, cosignature"
                + " FROM witnessed_checkpoint WHERE origin = ? AND verdict = 'REFUSED' ORDER BY id DESC LIMIT " + limit,
                origin);
    }

    private static List<Cosignature> cosignatures(Connection c, String sql, Object... params) throws SQLException {
        List<Cosignature> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Cosignature(rs.getLong(1), rs.getString(2), rs.getString(3), Jdbc.instant(rs, 4),
                            rs.getBytes(5)));
                }
            }
        }
        return out;
    }

    private static List<Witnessed> witnessed(Connection c, String sql, Object... params) throws SQLException {
        List<Witnessed> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Witnessed(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Jdbc.instant(rs, 6), rs.getBytes(7), rs.getBytes(8)));
                }
            }
        }
        return out;
    }
}
