package org.puente.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * RFC 3161 time-stamp tokens of this gateway's checkpoints ({@code audit_timestamp}, one per
 * checkpoint position; imprint: SHA-256 of the checkpoint's DER CMS). Rows are only ever added
 * (migrations V11 on PostgreSQL, V9 on SQLite).
 */
public final class TimestampStore {

    /** A checkpoint's token, the time the TSA vouched for, and the TSA's certificate subject. */
    public record Stamp(long seq, Instant genTime, String tsa, byte[] token) {
    }

    /** Records a token; false if the checkpoint has one already (another instance stamped it). */
    public boolean add(Connection c, Stamp s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_timestamp (seq, gen_time, tsa, token)"
                + " VALUES (?,?,?,?) ON CONFLICT DO NOTHING")) {
            Jdbc.bind(ps, s.seq(), s.genTime(), s.tsa(), s.token());
            return ps.executeUpdate() == 1;
        }
    }

    /** The position of the latest stamped checkpoint, 0 if none. */
    public long latestSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM audit_timestamp");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The token of the checkpoint at {@code seq}, if it has one. */
    public Optional<Stamp> stamp(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, gen_time, tsa, token FROM audit_timestamp WHERE seq = ?")) {
            Jdbc.bind(ps, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Stamp(rs.getLong(1), Jdbc.instant(rs, 2), rs.getString(3), rs.getBytes(4)))
                        : Optional.empty();
            }
        }
    }
}
