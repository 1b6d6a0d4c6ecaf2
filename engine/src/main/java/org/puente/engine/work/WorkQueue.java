package org.puente.engine.work;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.puente.audit.store.Dialect;
import org.puente.audit.store.Jdbc;
import org.puente.model.error.ErrorCode;

/**
 * SQL of the one durable work queue: every job that leaves the gateway is a row of {@code work},
 * inserted in the same unit of work as the change that calls for it (transactional enqueue),
 * claimed with a lease, retried with backoff, buried as a dead letter when its time runs out, and
 * deleted when done.
 *
 * <p>Implementation note: claims lock the rows they take ({@code FOR UPDATE SKIP LOCKED} on
 * PostgreSQL, so instances sharing the database never take the same job; SQLite has one writer)
 * and skip jobs whose lease has not lapsed, so a crashed instance's jobs are taken again once
 * their lease ends. Jobs that travel to the peer are not claimed while the {@link Switchboard}
 * says delivery is suspended: the check is part of the claim's own statement, so it holds for
 * every instance from the commit of the suspension on.
 */
public final class WorkQueue {
    public static final String READY = "READY";
    public static final String DEAD = "DEAD";

    private static final String COLUMNS = "id, kind, ref, lane, attempts, size_bytes, expires_at, created_at";

    private final Dialect dialect;

    public WorkQueue(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Adds a job unless one of the same kind and ref is already queued; returns whether it was added. */
    public boolean enqueue(Connection c, NewJob j, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO work (kind, ref, lane, state, attempts, size_bytes,"
                + " run_at, expires_at, created_at, updated_at) VALUES (?,?,?,?,0,?,?,?,?,?)"
                + " ON CONFLICT (kind, ref) DO NOTHING")) {
            Jdbc.bind(ps, j.kind(), j.ref(), (short) j.lane().ordinal(), READY, j.sizeBytes(), j.runAt(), j.expiresAt(),
                    now, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** {@link #claim(Connection, WorkLine, int, int, long, String, Instant, Instant)} on the kind's shared line. */
    public List<List<Job>> claim(Connection c, WorkKind kind, int batchSize, int batches, long maxBatchBytes, String owner,
                                 Instant leaseUntil, Instant now) throws SQLException {
        return claim(c, WorkLine.shared(kind), batchSize, batches, maxBatchBytes, owner, leaseUntil, now);
    }

    /**
     * Leases the due jobs of one line that fill at most {@code batches} batches of at most
     * {@code batchSize} jobs and {@code maxBatchBytes} each (a single larger job still makes a
     * batch of its own), and returns them as those batches. The shared line takes the lanes down
     * to its lowest, most urgent first and oldest first within a lane; a reserved line takes only
     * its own lane, oldest first. Jobs that would need one batch more are left unleased for the
     * next claim.
     */
    public List<List<Job>> claim(Connection c, WorkLine line, int batchSize, int batches, long maxBatchBytes, String owner,
                                 Instant leaseUntil, Instant now) throws SQLException {
        WorkKind kind = line.kind();
        String held = kind.towardsPeer() ? " AND NOT EXISTS (SELECT 1 FROM control WHERE name = '"
                + Switchboard.PEER_DELIVERY + "' AND value = '" + Switchboard.SUSPENDED + "')" : "";
        String lane = line.reserved().map(l -> " AND lane = " + l.ordinal())
                .orElse(line.lowest() == Lane.BULK ? "" : " AND lane <= " + line.lowest().ordinal());
        List<Job> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM work WHERE kind = ? AND state = ?"
                + lane + " AND run_at <= ? AND (lease_until IS NULL OR lease_until < ?)" + held
                + " ORDER BY lane, run_at, id LIMIT " + ((long) batchSize * batches) + dialect.skipLocked())) {
            Jdbc.bind(ps, kind, READY, now, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(read(rs));
                }
            }
        }
        List<List<Job>> packed = new ArrayList<>();
        List<Job> current = new ArrayList<>();
        long bytes = 0;
        for (Job j : due) {
            if (!current.isEmpty() && (current.size() == batchSize || bytes + j.sizeBytes() > maxBatchBytes)) {
                packed.add(List.copyOf(current));
                current.clear();
                bytes = 0;
                if (packed.size() == batches) {
                    break;
                }
            }
            current.add(j);
            bytes += j.sizeBytes();
        }
        if (!current.isEmpty() && packed.size() < batches) {
            packed.add(List.copyOf(current));
        }
        if (packed.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(List.of(owner, leaseUntil, now));
        packed.forEach(b -> b.forEach(j -> params.add(j.id())));
        try (PreparedStatement ps = c.prepareStatement("UPDATE work SET lease_owner = ?, lease_until = ?, updated_at = ?"
                + " WHERE id IN (" + String.join(",", Collections.nCopies(params.size() - 3, "?")) + ")")) {
            Jdbc.bind(ps, params.toArray());
            ps.executeUpdate();
        }
        return packed;
    }

    /** Removes the job of a kind about {@code ref} whatever its state (its work turned out done elsewhere). */
    public boolean forget(Connection c, WorkKind kind, String ref) throws SQLException {
        return update(c, "DELETE FROM work WHERE kind = ? AND ref = ?", kind, ref) == 1;
    }

    /** The job is done: it leaves the queue. */
    public void done(Connection c, Job job) throws SQLException {
        update(c, "DELETE FROM work WHERE id = ?", job.id());
    }

    /**
     * A failed attempt: counted, and the job is due again at {@code runAt}. Only while
     * {@code owner} still holds the lease (otherwise another instance has taken it since).
     */
    public boolean retry(Connection c, Job job, String owner, Instant runAt, ErrorCode code, String detail, Instant now)
            throws SQLException {
        return update(c, "UPDATE work SET attempts = attempts + 1, run_at = ?, last_error_code = ?, last_error_detail = ?,"
                + " lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND state = ? AND lease_owner = ?",
                runAt, code.code(), truncate(detail), now, job.id(), READY, owner) == 1;
    }

    /**
     * Moves a job whose time ran out to the dead letters; returns whether it was still waiting.
     * Only a job {@code owner} holds, or no instance holds: one another instance is performing is
     * left to that instance (its outcome, or its lease running out, decides).
     */
    public boolean bury(Connection c, Job job, String owner, ErrorCode code, String detail, Instant now) throws SQLException {
        return update(c, "UPDATE work SET state = ?, last_error_code = COALESCE(last_error_code, ?),"
                + " last_error_detail = COALESCE(last_error_detail, ?), lease_owner = NULL, lease_until = NULL,"
                + " updated_at = ? WHERE id = ? AND state = ? AND (lease_owner = ? OR lease_until IS NULL OR lease_until < ?)",
                DEAD, code.code(), truncate(detail), now, job.id(), READY, owner, now) == 1;
    }

    /** Waiting jobs of one kind whose time ran out and that no worker holds (oldest expiry first). */
    public List<Job> expired(Connection c, WorkKind kind, Instant now, int limit) throws SQLException {
        return select(c, "SELECT " + COLUMNS + " FROM work WHERE kind = ? AND state = ? AND expires_at <= ?"
                + " AND (lease_until IS NULL OR lease_until < ?) ORDER BY expires_at, id LIMIT " + limit, kind, READY, now, now);
    }

    /** A dead letter: a job whose time ran out, with the last failure that kept it from being done. */
    public record DeadJob(Job job, String lastErrorCode, String lastErrorDetail, Instant since) {
    }

    /** Dead letters, the longest dead first ({@code kind} null: every kind). */
    public List<DeadJob> dead(Connection c, WorkKind kind, int limit) throws SQLException {
        List<DeadJob> out = new ArrayList<>();
        String where = kind == null ? "" : " AND kind = ?";
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", last_error_code, last_error_detail,"
                + " updated_at FROM work WHERE state = ?" + where + " ORDER BY updated_at, id LIMIT " + limit)) {
            if (kind == null) {
                Jdbc.bind(ps, DEAD);
            } else {
                Jdbc.bind(ps, DEAD, kind);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeadJob(read(rs), rs.getString("last_error_code"), rs.getString("last_error_detail"),
                            Jdbc.instant(rs, "updated_at")));
                }
            }
        }
        return out;
    }

    public Optional<DeadJob> deadJob(Connection c, WorkKind kind, String ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", last_error_code, last_error_detail,"
                + " updated_at FROM work WHERE state = ? AND kind = ? AND ref = ?")) {
            Jdbc.bind(ps, DEAD, kind, ref);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new DeadJob(read(rs), rs.getString("last_error_code"),
                        rs.getString("last_error_detail"), Jdbc.instant(rs, "updated_at"))) : Optional.empty();
            }
        }
    }

    /**
     * Puts a dead letter back in the queue (an operator's re-drive), carrying {@code sizeBytes}
     * now (a re-sealed envelope's size); returns whether it was dead.
     */
    public boolean revive(Connection c, WorkKind kind, String ref, long sizeBytes, Instant expiresAt, Instant now)
            throws SQLException {
        return update(c, "UPDATE work SET state = ?, attempts = 0, size_bytes = ?, run_at = ?, expires_at = ?,"
                + " last_error_code = NULL, last_error_detail = NULL, updated_at = ? WHERE kind = ? AND ref = ? AND state = ?",
                READY, sizeBytes, now, expiresAt, now, kind, ref, DEAD) == 1;
    }

    /** Counts of one kind's jobs: waiting, dead, and when the oldest waiting one was queued. */
    public record Depth(long waiting, long dead, Instant oldestWaiting) {
    }

    public Depth depth(Connection c, WorkKind kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT"
                + " SUM(CASE WHEN state = 'READY' THEN 1 ELSE 0 END), SUM(CASE WHEN state = 'DEAD' THEN 1 ELSE 0 END),"
                + " MIN(CASE WHEN state = 'READY' THEN created_at END) FROM work WHERE kind = ?")) {
            Jdbc.bind(ps, kind);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Depth(rs.getLong(1), rs.getLong(2), Jdbc.instant(rs, 3));
            }
        }
    }

    /** How many jobs of one lane wait, and since when the oldest of them (null if none). */
    public record LaneDepth(long waiting, Instant oldestWaiting) {
        public static final LaneDepth EMPTY = new LaneDepth(0, null);
    }

    /** The waiting jobs of one kind per lane (lanes with none are absent). */
    public java.util.Map<Lane, LaneDepth> laneDepths(Connection c, WorkKind kind) throws SQLException {
        java.util.Map<Lane, LaneDepth> out = new java.util.EnumMap<>(Lane.class);
        try (PreparedStatement ps = c.prepareStatement("SELECT lane, COUNT(*), MIN(created_at) FROM work"
                + " WHERE kind = ? AND state = ? GROUP BY lane")) {
            Jdbc.bind(ps, kind, READY);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(Lane.values()[rs.getInt(1)], new LaneDepth(rs.getLong(2), Jdbc.instant(rs, 3)));
                }
            }
        }
        return out;
    }

    /** Every dead letter of every kind. */
    public long deadCount(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM work WHERE state = ?")) {
            Jdbc.bind(ps, DEAD);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Drops every lease (start-up of the embedded database's one process: the leases in it are
     * its previous run's, and that run is over).
     */
    public int releaseAllLeases(Connection c) throws SQLException {
        return update(c, "UPDATE work SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
    }

    /**
     * Drops the leases whose owner starts with {@code prefix} except {@code owner}'s own (start-up
     * of a named instance on a shared database: its earlier runs are over, the others run on).
     */
    public int releaseLeases(Connection c, String prefix, String owner) throws SQLException {
        return update(c, "UPDATE work SET lease_owner = NULL, lease_until = NULL"
                + " WHERE SUBSTR(lease_owner, 1, ?) = ? AND lease_owner <> ?", prefix.length(), prefix, owner);
    }

    private List<Job> select(Connection c, String sql, Object... params) throws SQLException {
        List<Job> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    private static Job read(ResultSet rs) throws SQLException {
        return new Job(rs.getLong("id"), WorkKind.valueOf(rs.getString("kind")), rs.getString("ref"),
                Lane.values()[rs.getInt("lane")], rs.getInt("attempts"), rs.getLong("size_bytes"),
                Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "created_at"));
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, params);
            return ps.executeUpdate();
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
