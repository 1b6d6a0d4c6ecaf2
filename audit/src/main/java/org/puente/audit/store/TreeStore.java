package org.puente.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.puente.audit.merkle.MerkleNode;
import org.puente.audit.merkle.NodeSource;

/**
 * The stored nodes of the audit log's Merkle tree ({@code audit_tree_node}): every complete,
 * aligned subtree, level 0 being the leaf hashes (docs/audit.md, "The Merkle tree"). Rows are only
 * ever added; the database refuses anything else (migrations V11 on PostgreSQL, V9 on SQLite).
 */
public final class TreeStore {
    private static final HexFormat HEX = HexFormat.of();

    /** How many leaves the stored tree has: positions 1 to this are in it. */
    public long size(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(idx) FROM audit_tree_node WHERE level = 0");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long max = rs.getLong(1);
            return rs.wasNull() ? 0 : max + 1;
        }
    }

    /** Adds nodes; one already there (another instance built the same tree) is left as it is. */
    public void insert(Connection c, List<MerkleNode> nodes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_tree_node (level, idx, hash) VALUES (?,?,?) ON CONFLICT DO NOTHING")) {
            for (MerkleNode n : nodes) {
                Jdbc.bind(ps, n.level(), n.index(), HEX.formatHex(n.hash()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The chain hashes of entries {@code from..to} (inclusive), in order: the leaf inputs. Reads the
     * live table, so it fails for positions that retention archived before they entered the tree.
     */
    public List<String> entryHashes(Connection c, long from, long to) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_event WHERE seq >= ? AND seq <= ?"
                + " ORDER BY seq")) {
            Jdbc.bind(ps, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                long expected = from;
                while (rs.next()) {
                    if (rs.getLong(1) != expected) {
                        throw new SQLException("audit entry " + expected + " is not in the live table: it cannot enter the tree");
                    }
                    out.add(rs.getString(2));
                    expected++;
                }
                if (expected != to + 1) {
                    throw new SQLException("audit entry " + expected + " is not in the live table: it cannot enter the tree");
                }
            }
        }
        return out;
    }

    /**
     * The stored nodes as a {@link NodeSource} over this connection (valid while it is open); each
     * node is read once. A node that is not stored is an {@link IllegalStateException}.
     */
    public NodeSource source(Connection c) {
        Map<Long, byte[]> cache = new HashMap<>();
        return (level, index) -> cache.computeIfAbsent(key(level, index), k -> read(c, level, index));
    }

    private static long key(int level, long index) {
        return ((long) level << 56) | index;
    }

    private static byte[] read(Connection c, int level, long index) {
        try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM audit_tree_node WHERE level = ? AND idx = ?")) {
            Jdbc.bind(ps, level, index);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the audit tree has no node at level " + level + ", index " + index);
                }
                return HEX.parseHex(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the audit tree cannot be read: " + e.getMessage(), e);
        }
    }
}
