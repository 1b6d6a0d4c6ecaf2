package org.puente.engine.audit;

import org.puente.audit.AuditEvent;
import org.puente.audit.AuditHash;
import org.puente.audit.store.Jdbc;
import org.puente.engine.store.Transactions;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.puente.model.Country;

/**
 * Appends audit events to the hash-chained log inside the caller's transaction: if the event
 * cannot be written, the state change it records is rolled back with it (fail closed).
 *
 * <p>Implementation note (chaining and concurrency): registered with {@link Transactions} as a
 * {@link Transactions.GroupParticipant}, the log only checks and buffers each event while the
 * units of a group run (a unit rolled back to its savepoint drops its events), and chains them
 * just before the group commits: it locks the one chain-head row ({@code SELECT ... FOR UPDATE}),
 * hashes the events in memory on the writer thread, inserts them in one JDBC batch and moves the
 * head. Taking the lock last keeps it for the shortest time and always after every other lock of
 * the group, so gateway instances sharing PostgreSQL append one after the other without deadlock;
 * the unique position is a second guard against a fork. Called on any other connection (a
 * caller outside the writer), an event is chained at once by the same steps.
 */
public final class AuditLog implements Transactions.GroupParticipant {

    /** Column sizes of {@code audit_event}: a value that does not fit fails its own unit, not the group. */
    private static final int[] LIMITS = {32, 64, 64, 40, 40, 64, 64, 32, 64, 64, 400, 16, 64, 1000};

    private final Country country;
    private final Dialect dialect;
    private final ThreadLocal<Group> group = new ThreadLocal<>();

    /** The events of the group being written on this thread, and of its current unit. */
    private static final class Group {
        final Connection connection;
        final List<AuditEvent> kept = new ArrayList<>();
        final List<AuditEvent> unit = new ArrayList<>();

        Group(Connection connection) {
            this.connection = connection;
        }
    }

    /** Observes appends (metrics): how long each took inside its unit of work, and which failed. */
    public interface AppendListener {
        void appended(long nanos);

        void appendFailed();

        AppendListener NONE = new AppendListener() {
            @Override
            public void appended(long nanos) {
            }

            @Override
            public void appendFailed() {
            }
        };
    }

    private final AppendListener listener;

    public AuditLog(Country country, Dialect dialect) {
        this(country, dialect, AppendListener.NONE);
    }

    public AuditLog(Country country, Dialect dialect, AppendListener listener) {
        this.country = country;
        this.dialect = dialect;
        this.listener = listener;
    }

    public Country country() {
        return country;
    }

    /** The database the log is written to. */
    public Dialect dialect() {
        return dialect;
    }

    /** Appends one event in a unit of work of its own: an action audited after it happened, not with it. */
    public void append(Transactions tx, AuditEvent e) {
        tx.write(c -> {
            append(c, e);
            return null;
        });
    }

    public void append(Connection c, AuditEvent e) throws SQLException {
        long start = System.nanoTime();
        try {
            AuditEvent event = checked(e);
            Group g = group.get();
            if (g != null && g.connection == c) {
                g.unit.add(event);
            } else {
                chain(c, List.of(event));
            }
        } catch (SQLException | RuntimeException failure) {
            listener.appendFailed();
            throw failure;
        }
        listener.appended(System.nanoTime() - start);
    }

    @Override
    public void groupStarted(Connection connection) {
        group.set(new Group(connection));
    }

    @Override
    public void unitEnded(boolean kept) {
        Group g = group.get();
        if (kept) {
            g.kept.addAll(g.unit);
        }
        g.unit.clear();
    }

    @Override
    public void beforeCommit(Connection connection) throws SQLException {
        Group g = group.get();
        if (!g.kept.isEmpty()) {
            chain(connection, g.kept);
        }
    }

    @Override
    public void groupEnded(boolean committed) {
        group.remove();
    }

    /** Locks the head, chains {@code events} after it, inserts them and moves the head. */
    private void chain(Connection c, List<AuditEvent> events) throws SQLException {
        long seq;
        String hash;
        try (PreparedStatement ps = c.prepareStatement(AuditStore.lockHead(dialect)); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_chain_head has no row: the V2 migration did not run");
            }
            seq = rs.getLong(1);
            hash = rs.getString(2);
        }
        try (PreparedStatement ps = c.prepareStatement(AuditStore.INSERT)) {
            for (AuditEvent e : events) {
                seq++;
                String h = AuditHash.hash(hash, seq, country, e);
                Jdbc.bind(ps, e.at(), country.name(), e.event().name(), e.messageId(), e.correlationId(), e.messageType(),
                        e.sender(), e.receiver(), e.legalBasis(), e.purpose(), e.sensitivity(), e.payloadSha256(),
                        e.envelopeSha256(), e.actor(), e.outcome(), e.errorCode(), e.detail(), seq, hash, h);
                ps.addBatch();
                hash = h;
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(AuditStore.MOVE_HEAD)) {
            Jdbc.bind(ps, seq, hash);
            ps.executeUpdate();
        }
    }

    /** The event at stored precision, or the refusal the database would give, raised in the caller's unit. */
    private static AuditEvent checked(AuditEvent e) throws SQLException {
        if (e.at() == null || e.event() == null || e.outcome() == null) {
            throw new SQLDataException("an audit event needs a time, an event type and an outcome", "23502");
        }
        String[] values = {e.event().name(), e.correlationId(), e.messageType(), e.sender(), e.receiver(),
                e.legalBasis(), e.purpose(), e.sensitivity(), e.payloadSha256(), e.envelopeSha256(), e.actor(),
                e.outcome(), e.errorCode(), e.detail()};
        for (int i = 0; i < values.length; i++) {
            String v = values[i];
            if (v != null && v.codePointCount(0, v.length()) > LIMITS[i]) {
                throw new SQLDataException("audit value too long for its column (" + LIMITS[i] + " characters)", "22001");
            }
        }
        return e.at(AuditHash.normalize(e.at()));
    }
}
