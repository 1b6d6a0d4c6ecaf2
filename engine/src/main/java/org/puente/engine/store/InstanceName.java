package org.puente.engine.store;

import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance name this process took on a shared PostgreSQL database, kept for as long as it
 * runs: {@link #check} (the health check, every second) finds a session lost while it ran (a
 * failover, an idle timeout, an operator's {@code pg_terminate_backend}) and takes the name again
 * on a new session if nobody else holds it.
 */
public final class InstanceName {
    /** What {@link #check} found. */
    public enum State {
        /** This process took no name (SQLite, no {@code puente.db.instance-id}, or it ran unnamed). */
        NONE,
        /** It holds its name (again, if its session had been lost and nobody else had taken it). */
        HELD,
        /** Its session was lost and another session holds the name now. */
        HELD_BY_ANOTHER,
        /** Its session was lost and the database did not answer the attempt to take it again (or it is closed). */
        UNKNOWN
    }

    private static final Logger LOG = LoggerFactory.getLogger(InstanceName.class);

    private final DataSource unpooled;
    private final String name;
    private final String where;
    private volatile InstanceLock lock;
    private volatile boolean released;

    private InstanceName(DataSource unpooled, String name, String where, InstanceLock lock) {
        this.unpooled = unpooled;
        this.name = name;
        this.where = where;
        this.lock = lock;
    }

    /** The name, taken on a session of its own; empty when another live session holds it. */
    static Optional<InstanceName> take(DataSource unpooled, String name, String where) throws SQLException {
        return InstanceLock.tryAcquire(unpooled, name).map(l -> new InstanceName(unpooled, name, where, l));
    }

    /** Whether the name is still held, taking it again if its session was lost and the name is free. */
    synchronized State check() {
        InstanceLock current = lock;
        if (current != null && current.holds()) {
            return State.HELD;
        }
        if (released) { // release() ended the session: not a lost one
            return State.UNKNOWN;
        }
        if (current != null) {
            lock = null;
            current.release();
            LOG.error("the session holding instance name {} on {} is lost: a namesake started now could take the jobs"
                    + " this process has claimed; taking the name again", name, where);
        }
        InstanceLock again;
        try {
            again = InstanceLock.tryAcquire(unpooled, name).orElse(null);
        } catch (SQLException e) {
            return State.UNKNOWN;
        }
        if (again == null) {
            return State.HELD_BY_ANOTHER;
        }
        lock = again;
        if (released) { // released meanwhile: release() did not see this session
            release();
            return State.UNKNOWN;
        }
        LOG.warn("instance name {} taken again on a new session", name);
        return State.HELD;
    }

    /**
     * Ends the name's session, and with it the lock. Not under this object's monitor: a check may
     * hold it for as long as a slow database takes to answer.
     */
    void release() {
        released = true;
        InstanceLock held = lock;
        lock = null;
        if (held != null) {
            held.release();
        }
    }
}
