package org.puente.engine.work;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.puente.audit.store.Jdbc;
import org.puente.engine.testing.TestDatabase;

/** Jobs as the table holds them, and the queue calls as the gateway makes them: one unit of a write group each. */
final class WorkRows {
    static final Duration LEASE = Duration.ofSeconds(30);

    private WorkRows() {
    }

    /** One row of {@code work}, every column a test may look at. */
    record Row(long id, String state, int attempts, Instant runAt, Instant expiresAt, String leaseOwner, Instant leaseUntil,
               String lastErrorCode, String lastErrorDetail, int lane, long sizeBytes) {
    }

    static Optional<Row> row(TestDatabase db, WorkKind kind, String ref) {
        return db.tx().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, state, attempts, run_at, expires_at, lease_owner,"
                    + " lease_until, last_error_code, last_error_detail, lane, size_bytes FROM work WHERE kind = ? AND ref = ?")) {
                Jdbc.bind(ps, kind, ref);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Row(rs.getLong("id"), rs.getString("state"), rs.getInt("attempts"),
                            Jdbc.instant(rs, "run_at"), Jdbc.instant(rs, "expires_at"), rs.getString("lease_owner"),
                            Jdbc.instant(rs, "lease_until"), rs.getString("last_error_code"),
                            rs.getString("last_error_detail"), rs.getInt("lane"), rs.getLong("size_bytes")));
                }
            }
        });
    }

    static Row existing(TestDatabase db, WorkKind kind, String ref) {
        return row(db, kind, ref).orElseThrow(() -> new AssertionError("no " + kind + " job " + ref));
    }

    static boolean enqueue(TestDatabase db, WorkQueue queue, NewJob job, Instant now) {
        return db.tx().write(c -> queue.enqueue(c, job, now));
    }

    /** Enqueues a job due at {@code runAt} that expires a day later. */
    static boolean enqueue(TestDatabase db, WorkQueue queue, WorkKind kind, String ref, Lane lane, long size, Instant runAt) {
        return enqueue(db, queue, new NewJob(kind, ref, lane, size, runAt, runAt.plus(Duration.ofDays(1))), runAt);
    }

    /**
     * A claim of one batch: up to {@code limit} jobs carrying at most {@code maxBytes} together (a
     * single larger job alone), leased to {@code owner} for {@link #LEASE}.
     */
    static List<Job> claim(TestDatabase db, WorkQueue queue, WorkKind kind, int limit, long maxBytes, String owner,
                           Instant now) {
        List<List<Job>> batches = claimBatches(db, queue, kind, limit, 1, maxBytes, owner, now);
        if (batches.size() > 1) {
            throw new AssertionError("a claim of one batch made " + batches.size() + ": " + batches);
        }
        return jobs(batches);
    }

    /** A claim of at most {@code batches} batches, as the runner makes it, leased to {@code owner} for {@link #LEASE}. */
    static List<List<Job>> claimBatches(TestDatabase db, WorkQueue queue, WorkKind kind, int batchSize, int batches,
                                        long maxBatchBytes, String owner, Instant now) {
        return db.tx().write(c -> queue.claim(c, kind, batchSize, batches, maxBatchBytes, owner, now.plus(LEASE), now));
    }

    /** The jobs of a claim's batches, in claim order. */
    static List<Job> jobs(List<List<Job>> batches) {
        return batches.stream().flatMap(List::stream).toList();
    }

    static List<String> refs(List<Job> jobs) {
        return jobs.stream().map(Job::ref).toList();
    }
}
