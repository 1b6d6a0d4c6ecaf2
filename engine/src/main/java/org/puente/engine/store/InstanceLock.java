package org.puente.engine.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * One instance name held by one process at a time on a shared PostgreSQL database: a session-level
 * advisory lock ({@code pg_try_advisory_lock}) on a connection of its own, outside the pool, held
 * until {@link #release}. The server drops it when that session ends, whether the process closed
 * it or was killed and left its socket behind, so holding it proves that no earlier run under the
 * same name still holds it. A session lost while the process runs (a failover, an idle timeout) is
 * seen by {@link #holds}, which the health check asks every second ({@link InstanceName#check}).
 *
 * <p>Implementation note: the lock's 64-bit key is the first eight bytes of the SHA-256 of the
 * name, so names do not depend on PostgreSQL's own hash functions (which vary by version).
 */
final class InstanceLock {
    private static final int NETWORK_TIMEOUT_MILLIS = 10_000;

    private final Connection session;
    private final long key;

    private InstanceLock(Connection session, long key) {
        this.session = session;
        this.key = key;
    }

    /**
     * The lock of {@code name}, or empty when another session holds it. The session is named
     * {@code puente-instance <name>} ({@code application_name}), so an operator finds it in
     * {@code pg_stat_activity}.
     */
    static Optional<InstanceLock> tryAcquire(DataSource unpooled, String name) throws SQLException {
        Connection c = unpooled.getConnection();
        boolean held = false;
        try {
            // the health check asks this session every second: an unanswering server must not hang it
            c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                ps.setString(1, "puente-instance " + name);
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key(name));
                try (ResultSet rs = ps.executeQuery()) {
                    held = rs.next() && rs.getBoolean(1);
                }
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c, e);
            throw e;
        }
        if (held) {
            return Optional.of(new InstanceLock(c, key(name)));
        }
        closeQuietly(c, null);
        return Optional.empty();
    }

    private static void closeQuietly(Connection c, Exception failure) {
        try {
            c.close();
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    static long key(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("puente.instance:" + name)
                    .getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /**
     * Whether the session is alive and still holds the lock (as {@code pg_locks} shows a bigint
     * key: its high half as {@code classid}, its low half as {@code objid}, {@code objsubid} 1).
     */
    boolean holds() {
        try (PreparedStatement ps = session.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND pid = pg_backend_pid() AND granted AND objsubid = 1 AND classid::bigint = ? AND objid::bigint = ?")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFF_FFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) == 1;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** Ends the session, and with it the lock. */
    void release() {
        try {
            session.close();
        } catch (SQLException e) {
            // the server drops the lock with the session anyway
        }
    }
}
