package org.puente.engine.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.work.WorkRows.existing;
import static org.puente.engine.work.WorkRows.row;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.puente.audit.store.Dialect;
import org.puente.audit.store.Jdbc;
import org.puente.engine.store.Database;
import org.puente.engine.store.Transactions;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestClock;
import org.puente.engine.testing.TestDatabase;
import org.puente.model.error.ErrorCode;

/**
 * The runner with a worker that does what each test tells it: every outcome is recorded with the
 * worker's own transition in one unit, a unit that fails leaves the job to be taken again, and
 * jobs whose time ran out are buried, never performed.
 */
class WorkRunnerTest {
    private static final String OWNER = "runner-1";
    private static final Duration LEASE = Duration.ofSeconds(30);

    /** A worker whose outcomes the test chooses; its transitions are rows of message_status named after the job. */
    private static final class FakeWorker implements Worker {
        final WorkKind kind;
        final List<Job> performed = Collections.synchronizedList(new ArrayList<>());
        final List<Job> expired = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger afterExpiry = new AtomicInteger();
        volatile Function<Job, Outcome> outcome;

        FakeWorker(WorkKind kind, Function<Job, Outcome> outcome) {
            this.kind = kind;
            this.outcome = outcome;
        }

        @Override
        public WorkKind kind() {
            return kind;
        }

        @Override
        public List<Outcome> perform(List<Job> jobs) {
            performed.addAll(jobs);
            return jobs.stream().map(outcome).toList();
        }

        @Override
        public Runnable expired(Connection c, Job job, Instant now) throws SQLException {
            mark(c, job, "EXPIRED", now);
            expired.add(job);
            return afterExpiry::incrementAndGet;
        }
    }

    /** Records what the runner reports (metrics). */
    private static final class Listener implements WorkRunner.WorkListener {
        final List<Integer> claimed = Collections.synchronizedList(new ArrayList<>());
        final List<Outcome> ended = Collections.synchronizedList(new ArrayList<>());
        final List<Job> expired = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void claimed(WorkKind kind, int jobs) {
            claimed.add(jobs);
        }

        @Override
        public void ended(Outcome outcome) {
            ended.add(outcome);
        }

        @Override
        public void expired(Job job) {
            expired.add(job);
        }
    }

    private final TestClock clock = new TestClock(T0);
    private final AtomicInteger afterCommit = new AtomicInteger();

    private static WorkSettings settings(int batchSize, int concurrency, long maxBatchBytes, Backoff backoff) {
        return new WorkSettings(batchSize, concurrency, maxBatchBytes, LEASE, backoff);
    }

    private static WorkSettings simple() {
        return settings(10, 1, 1_000_000, new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60)));
    }

    private WorkRunner runner(TestDatabase db, FakeWorker worker, WorkSettings s) {
        return new WorkRunner(db.tx(), new WorkQueue(db.database().dialect()), OWNER, clock).register(worker, s);
    }

    /** The worker's transition for a job: a row the test can look for, and a count of what ran after the commit. */
    private Outcome.Record marks(Job job, String status) {
        return c -> {
            mark(c, job, status, T0);
            return afterCommit::incrementAndGet;
        };
    }

    @OnBothDatabases
    void done_deletes_the_job_and_commits_the_workers_transition_with_it(TestDatabase db) {
        FakeWorker worker = new FakeWorker(WorkKind.AGENCY_PUSH, job -> Outcome.done(job, marks(job, "DONE")));
        WorkRunner runner = runner(db, worker, simple());
        Listener listener = new Listener();
        runner.setListener(listener);
        String ref = enqueue(db, WorkKind.AGENCY_PUSH, 100, T0.plusSeconds(3600));

        List<WorkRunner.Batch> batches = runner.claim(WorkLine.shared(WorkKind.AGENCY_PUSH));
        int ended = runner.run(batches.get(0));

        assertThat(batches).singleElement().satisfies(b -> assertThat(WorkRows.refs(b.jobs())).containsExactly(ref));
        assertThat(ended).isEqualTo(1);
        assertThat(row(db, WorkKind.AGENCY_PUSH, ref)).isEmpty();
        assertThat(marks(db, ref)).containsExactly("DONE");
        assertThat(afterCommit).hasValue(1);
        assertThat(listener.claimed).containsExactly(1);
        assertThat(listener.ended).singleElement().isInstanceOf(Outcome.Done.class);
    }

    @OnBothDatabases
    void a_retry_reschedules_the_job_with_a_backoff_that_grows_with_its_attempts(TestDatabase db) {
        FakeWorker worker = new FakeWorker(WorkKind.PEER_ENVELOPE,
                job -> Outcome.retry(job, ErrorCode.PEER_UNREACHABLE, "connection refused"));
        // 10 s doubling up to 60 s, half of it random: [5 s, 10 s] after one failure, [10 s, 20 s] after two
        WorkRunner runner = runner(db, worker, simple());
        String ref = enqueue(db, WorkKind.PEER_ENVELOPE, 100, T0.plusSeconds(3600));

        int ended = runner.run(runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE)).get(0));

        assertThat(ended).as("a retried job has not ended").isZero();
        WorkRows.Row first = existing(db, WorkKind.PEER_ENVELOPE, ref);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.runAt()).isBetween(T0.plusSeconds(5), T0.plusSeconds(10));
        assertThat(first.leaseOwner()).isNull();
        assertThat(first.lastErrorCode()).isEqualTo("peer_unreachable");
        assertThat(first.lastErrorDetail()).isEqualTo("connection refused");
        clock.set(first.runAt().minusNanos(1_000));
        assertThat(runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE))).as("not due before its time").isEmpty();

        clock.set(first.runAt());
        List<WorkRunner.Batch> again = runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE));
        assertThat(again.get(0).jobs().get(0).attempts()).isEqualTo(1);
        runner.run(again.get(0));

        WorkRows.Row second = existing(db, WorkKind.PEER_ENVELOPE, ref);
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.runAt()).isBetween(first.runAt().plusSeconds(10), first.runAt().plusSeconds(20));
        assertThat(worker.performed).hasSize(2);
    }

    @OnBothDatabases
    void a_worker_that_fails_outright_has_its_batch_retried_after_a_backoff_not_claimed_again_at_once(TestDatabase db) {
        FakeWorker worker = new FakeWorker(WorkKind.PEER_ENVELOPE, job -> {
            throw new IllegalStateException("out of memory, as it were");
        });
        WorkRunner runner = runner(db, worker, simple());
        String ref = enqueue(db, WorkKind.PEER_ENVELOPE, 100, T0.plusSeconds(3600));

        int ended = runner.run(runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE)).get(0));

        assertThat(ended).isZero();
        WorkRows.Row row = existing(db, WorkKind.PEER_ENVELOPE, ref);
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.leaseOwner()).as("the lease is released, not held until it lapses").isNull();
        assertThat(row.runAt()).isBetween(T0.plusSeconds(5), T0.plusSeconds(10));
        assertThat(row.lastErrorCode()).isEqualTo("internal_error");
        assertThat(runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE))).as("not taken again before its backoff").isEmpty();
    }

    @OnBothDatabases
    void a_retry_is_never_scheduled_past_the_expiry_and_the_job_is_then_buried_not_performed(TestDatabase db) {
        FakeWorker worker = new FakeWorker(WorkKind.PEER_ENVELOPE,
                job -> Outcome.retry(job, ErrorCode.PEER_TIMEOUT, "no answer"));
        WorkRunner runner = runner(db, worker, simple());
        Instant expiry = T0.plusSeconds(3);
        String ref = enqueue(db, WorkKind.PEER_ENVELOPE, 100, expiry);

        runner.run(runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE)).get(0));

        assertThat(existing(db, WorkKind.PEER_ENVELOPE, ref).runAt()).as("the backoff (5 s at least) is cut at the expiry")
                .isEqualTo(expiry);
        clock.set(expiry);
        List<WorkRunner.Batch> atExpiry = runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE));
        int ended = runner.run(atExpiry.get(0));
        assertThat(ended).isEqualTo(1);
        assertThat(worker.performed).as("performed once, before its time ran out").hasSize(1);
        assertThat(worker.expired).extracting(Job::ref).containsExactly(ref);
        WorkRows.Row dead = existing(db, WorkKind.PEER_ENVELOPE, ref);
        assertThat(dead.state()).isEqualTo(WorkQueue.DEAD);
        assertThat(dead.lastErrorCode()).as("the last failure is kept").isEqualTo("peer_timeout");
    }

    @OnBothDatabases
    void a_failed_job_leaves_the_queue_with_the_workers_transition(TestDatabase db) {
        FakeWorker worker = new FakeWorker(WorkKind.PEER_ENVELOPE,
                job -> new Outcome.Failed(job, ErrorCode.BAD_SIGNATURE, "refused by the peer", marks(job, "FAILED")));
        WorkRunner runner = runner(db, worker, simple());
        Listener listener = new Listener();
        runner.setListener(listener);
        String ref = enqueue(db, WorkKind.PEER_ENVELOPE, 100, T0.plusSeconds(3600));

        int ended = runner.run(runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE)).get(0));

        assertThat(ended).isEqualTo(1);
        assertThat(row(db, WorkKind.PEER_ENVELOPE, ref)).isEmpty();
        assertThat(marks(db, ref)).containsExactly("FAILED");
        long dead = db.tx().read(c -> new WorkQueue(db.database().dialect()).deadCount(c));
        assertThat(dead).as("a failure is no dead letter").isZero();
        assertThat(listener.ended).singleElement().isInstanceOfSatisfying(Outcome.Failed.class,
                f -> assertThat(f.code()).isEqualTo(ErrorCode.BAD_SIGNATURE));
    }

    @OnBothDatabases
    void a_transition_that_fails_rolls_back_alone_and_its_job_is_taken_again_after_the_lease(TestDatabase db) {
        String[] refs = {enqueue(db, WorkKind.AGENCY_PUSH, 1, T0.plusSeconds(3600)),
                enqueue(db, WorkKind.AGENCY_PUSH, 1, T0.plusSeconds(3600)),
                enqueue(db, WorkKind.AGENCY_PUSH, 1, T0.plusSeconds(3600))};
        FakeWorker worker = new FakeWorker(WorkKind.AGENCY_PUSH, job -> Outcome.done(job, !job.ref().equals(refs[1])
                ? marks(job, "DONE") : c -> {
                    mark(c, job, "DONE", T0);
                    throw new SQLException("the transition cannot be written");
                }));
        WorkRunner runner = runner(db, worker, simple());

        int ended = runner.run(runner.claim(WorkLine.shared(WorkKind.AGENCY_PUSH)).get(0));

        assertThat(ended).isEqualTo(2);
        assertThat(row(db, WorkKind.AGENCY_PUSH, refs[0])).isEmpty();
        assertThat(row(db, WorkKind.AGENCY_PUSH, refs[2])).isEmpty();
        WorkRows.Row kept = existing(db, WorkKind.AGENCY_PUSH, refs[1]);
        assertThat(kept.state()).isEqualTo(WorkQueue.READY);
        assertThat(kept.leaseOwner()).as("it keeps its lease until the lease lapses").isEqualTo(OWNER);
        assertThat(marks(db, refs[1])).as("its half-written transition is rolled back").isEmpty();
        assertThat(afterCommit).as("nothing runs after a commit that did not happen").hasValue(2);

        clock.set(T0.plus(LEASE));
        assertThat(runner.claim(WorkLine.shared(WorkKind.AGENCY_PUSH))).as("still leased").isEmpty();
        clock.set(T0.plus(LEASE).plusSeconds(1));
        worker.outcome = job -> Outcome.done(job, marks(job, "DONE"));
        List<WorkRunner.Batch> again = runner.claim(WorkLine.shared(WorkKind.AGENCY_PUSH));
        assertThat(again).singleElement().satisfies(b -> assertThat(WorkRows.refs(b.jobs())).containsExactly(refs[1]));
        assertThat(runner.run(again.get(0))).isEqualTo(1);
        assertThat(marks(db, refs[1])).containsExactly("DONE");
        assertThat(row(db, WorkKind.AGENCY_PUSH, refs[1])).isEmpty();
    }

    @OnBothDatabases
    void a_retry_whose_transition_fails_counts_no_attempt(TestDatabase db) {
        String ref = enqueue(db, WorkKind.PEER_ENVELOPE, 1, T0.plusSeconds(3600));
        FakeWorker worker = new FakeWorker(WorkKind.PEER_ENVELOPE, job -> new Outcome.Retry(job, ErrorCode.PEER_UNREACHABLE,
                "refused", c -> {
                    throw new SQLException("the transition cannot be written");
                }));
        WorkRunner runner = runner(db, worker, simple());

        runner.run(runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE)).get(0));

        WorkRows.Row r = existing(db, WorkKind.PEER_ENVELOPE, ref);
        assertThat(r.attempts()).isZero();
        assertThat(r.runAt()).isEqualTo(T0);
        assertThat(r.leaseOwner()).isEqualTo(OWNER);
    }

    @OnBothDatabases
    void jobs_whose_time_ran_out_while_claimed_are_buried_with_the_workers_expiry_transition_and_not_performed(
            TestDatabase db) {
        FakeWorker worker = new FakeWorker(WorkKind.DROP_FILE, job -> Outcome.done(job, marks(job, "DONE")));
        WorkRunner runner = runner(db, worker, simple());
        Listener listener = new Listener();
        runner.setListener(listener);
        String late = enqueue(db, WorkKind.DROP_FILE, 1, T0.plusSeconds(10));
        String live = enqueue(db, WorkKind.DROP_FILE, 1, T0.plusSeconds(3600));
        List<WorkRunner.Batch> batches = runner.claim(WorkLine.shared(WorkKind.DROP_FILE));

        clock.set(T0.plusSeconds(10));
        int ended = runner.run(batches.get(0));

        assertThat(ended).isEqualTo(2);
        assertThat(worker.performed).extracting(Job::ref).containsExactly(live);
        assertThat(worker.expired).extracting(Job::ref).containsExactly(late);
        assertThat(worker.afterExpiry).hasValue(1);
        assertThat(listener.expired).extracting(Job::ref).containsExactly(late);
        WorkRows.Row dead = existing(db, WorkKind.DROP_FILE, late);
        assertThat(dead.state()).isEqualTo(WorkQueue.DEAD);
        assertThat(dead.lastErrorCode()).isEqualTo(ErrorCode.MESSAGE_EXPIRED.code());
        assertThat(marks(db, late)).containsExactly("EXPIRED");
        assertThat(marks(db, live)).containsExactly("DONE");
    }

    @OnBothDatabases
    void a_runner_whose_lease_lapsed_leaves_a_late_job_to_the_instance_that_holds_it_now(TestDatabase db) {
        FakeWorker worker = new FakeWorker(WorkKind.AGENCY_PUSH, job -> Outcome.done(job, marks(job, "DONE")));
        WorkRunner runner = runner(db, worker, simple());
        WorkQueue queue = new WorkQueue(db.database().dialect());
        String ref = enqueue(db, WorkKind.AGENCY_PUSH, 1, T0.plusSeconds(60));
        List<WorkRunner.Batch> mine = runner.claim(WorkLine.shared(WorkKind.AGENCY_PUSH));
        Instant retaken = T0.plus(LEASE).plusSeconds(1);
        db.tx().write(c -> queue.claim(c, WorkKind.AGENCY_PUSH, 1, 1, Long.MAX_VALUE, "other-instance",
                retaken.plus(LEASE), retaken));

        clock.set(T0.plusSeconds(60));
        int ended = runner.run(mine.get(0));

        assertThat(ended).isZero();
        assertThat(worker.performed).isEmpty();
        assertThat(worker.expired).as("no expiry transition for a job this runner no longer holds").isEmpty();
        WorkRows.Row r = existing(db, WorkKind.AGENCY_PUSH, ref);
        assertThat(r.state()).isEqualTo(WorkQueue.READY);
        assertThat(r.leaseOwner()).isEqualTo("other-instance");
        assertThat(marks(db, ref)).isEmpty();
    }

    @OnBothDatabases
    void the_sweep_buries_waiting_jobs_past_their_time_while_delivery_is_suspended_but_not_those_a_worker_holds(
            TestDatabase db) {
        FakeWorker worker = new FakeWorker(WorkKind.PEER_ENVELOPE, job -> Outcome.done(job, marks(job, "DONE")));
        WorkRunner runner = runner(db, worker, simple());
        WorkQueue queue = new WorkQueue(db.database().dialect());
        String held = enqueue(db, WorkKind.PEER_ENVELOPE, 1, T0.plusSeconds(5));
        db.tx().write(c -> queue.claim(c, WorkKind.PEER_ENVELOPE, 1, 1, Long.MAX_VALUE, "other-instance", T0.plus(LEASE), T0));
        String late = enqueue(db, WorkKind.PEER_ENVELOPE, 1, T0.plusSeconds(10));
        String alive = enqueue(db, WorkKind.PEER_ENVELOPE, 1, T0.plusSeconds(3600));
        db.tx().write(c -> new Switchboard().set(c, Switchboard.PEER_DELIVERY, true, "maintenance", "CN=US operator", T0));

        clock.set(T0.plusSeconds(20));
        List<WorkRunner.Batch> claimed = runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE));
        int swept = runner.sweepExpired(WorkKind.PEER_ENVELOPE);
        int sweptAgain = runner.sweepExpired(WorkKind.PEER_ENVELOPE);

        assertThat(claimed).as("suspended").isEmpty();
        assertThat(swept).isEqualTo(1);
        assertThat(sweptAgain).as("a job is buried once").isZero();
        assertThat(worker.expired).extracting(Job::ref).containsExactly(late);
        assertThat(worker.performed).isEmpty();
        assertThat(existing(db, WorkKind.PEER_ENVELOPE, late).state()).isEqualTo(WorkQueue.DEAD);
        assertThat(existing(db, WorkKind.PEER_ENVELOPE, alive).state()).isEqualTo(WorkQueue.READY);
        assertThat(existing(db, WorkKind.PEER_ENVELOPE, held).state()).as("another instance holds it").isEqualTo(WorkQueue.READY);

        clock.set(T0.plus(LEASE).plusSeconds(1));
        assertThat(runner.sweepExpired(WorkKind.PEER_ENVELOPE)).isEqualTo(1);
        assertThat(existing(db, WorkKind.PEER_ENVELOPE, held).state()).isEqualTo(WorkQueue.DEAD);
        assertThat(marks(db, held)).containsExactly("EXPIRED");
    }

    @OnBothDatabases
    void a_claim_is_cut_into_batches_by_count_and_bytes_and_a_full_claim_says_so(TestDatabase db) {
        FakeWorker worker = new FakeWorker(WorkKind.AGENCY_PUSH, job -> Outcome.done(job, Outcome.Record.NOTHING));
        WorkRunner runner = runner(db, worker, settings(2, 2, 1000, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1))));
        for (long size : new long[] {600, 300, 300, 600, 10}) {
            enqueue(db, WorkKind.AGENCY_PUSH, size, T0.plusSeconds(3600));
        }

        List<WorkRunner.Batch> full = runner.claim(WorkLine.shared(WorkKind.AGENCY_PUSH));
        List<WorkRunner.Batch> rest = runner.claim(WorkLine.shared(WorkKind.AGENCY_PUSH));
        List<WorkRunner.Batch> none = runner.claim(WorkLine.shared(WorkKind.AGENCY_PUSH));

        assertThat(full).extracting(b -> b.jobs().stream().map(Job::sizeBytes).toList())
                .containsExactly(List.of(600L, 300L), List.of(300L, 600L));
        assertThat(runner.wasFull(full)).isTrue();
        assertThat(rest).extracting(b -> b.jobs().size()).containsExactly(1);
        assertThat(runner.wasFull(rest)).isFalse();
        assertThat(none).isEmpty();
        assertThat(runner.wasFull(none)).isFalse();
    }

    @OnBothDatabases
    void a_claim_makes_no_more_batches_than_the_kind_runs_at_once_and_leaves_the_rest_unleased_for_the_next_claim(
            TestDatabase db) {
        // two batches at once of at most 1000 bytes: three jobs of 600 bytes would fit a budget of 2000 for the
        // whole claim, but no two of them fit one batch, so the third waits for the next claim
        FakeWorker worker = new FakeWorker(WorkKind.PEER_ENVELOPE, job -> Outcome.done(job, Outcome.Record.NOTHING));
        WorkRunner runner = runner(db, worker, settings(2, 2, 1000, new Backoff(Duration.ofSeconds(1),
                Duration.ofSeconds(1))));
        Listener listener = new Listener();
        runner.setListener(listener);
        String[] refs = new String[3];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = enqueue(db, WorkKind.PEER_ENVELOPE, 600, T0.plusSeconds(3600));
        }

        List<WorkRunner.Batch> first = runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE));
        WorkRows.Row waiting = existing(db, WorkKind.PEER_ENVELOPE, refs[2]);
        List<WorkRunner.Batch> second = runner.claim(WorkLine.shared(WorkKind.PEER_ENVELOPE));

        assertThat(first).extracting(b -> WorkRows.refs(b.jobs()))
                .containsExactly(List.of(refs[0]), List.of(refs[1]));
        assertThat(runner.wasFull(first)).as("as many batches as run at once: claim again").isTrue();
        assertThat(waiting.leaseOwner()).as("the job of a third batch is not leased").isNull();
        assertThat(waiting.leaseUntil()).isNull();
        assertThat(second).extracting(b -> WorkRows.refs(b.jobs())).containsExactly(List.of(refs[2]));
        assertThat(runner.wasFull(second)).isFalse();
        assertThat(listener.claimed).containsExactly(2, 1);
    }

    @OnBothDatabases
    void a_kind_without_a_byte_limit_run_several_at_once_claims_full_batches_for_all_it_runs(TestDatabase db) {
        // Long.MAX_VALUE bytes a batch: no product with the concurrency may overflow into a negative budget
        FakeWorker worker = new FakeWorker(WorkKind.AGENCY_PUSH, job -> Outcome.done(job, Outcome.Record.NOTHING));
        WorkRunner runner = runner(db, worker, settings(5, 2, Long.MAX_VALUE, new Backoff(Duration.ofSeconds(1),
                Duration.ofSeconds(1))));
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            refs.add(enqueue(db, WorkKind.AGENCY_PUSH, 1000, T0.plusSeconds(3600)));
        }

        List<WorkRunner.Batch> batches = runner.claim(WorkLine.shared(WorkKind.AGENCY_PUSH));

        assertThat(batches).extracting(b -> WorkRows.refs(b.jobs()))
                .containsExactly(refs.subList(0, 5), refs.subList(5, 10));
        assertThat(runner.wasFull(batches)).isTrue();
        assertThat(existing(db, WorkKind.AGENCY_PUSH, refs.get(10)).leaseOwner()).isNull();
    }

    @OnBothDatabases
    void a_restart_takes_back_at_once_the_jobs_its_killed_predecessor_had_claimed(TestDatabase db) {
        String gateway = "gateway.us.puente.sample";
        FakeWorker worker = new FakeWorker(WorkKind.AGENCY_PUSH, job -> Outcome.done(job, Outcome.Record.NOTHING));
        String ref = enqueue(db, WorkKind.AGENCY_PUSH, 1, T0.plusSeconds(3600));
        if (db.kind() == TestDatabase.Kind.POSTGRESQL) {
            // the predecessor: its own pool and its own session holding the name, ended as a kill ends it
            try (Database predecessor = db.openAnother(); Transactions tx = new Transactions(predecessor, 16)) {
                LeaseOwner named = LeaseOwner.of(gateway, Optional.of("us-1"), predecessor::lockInstance);
                assertThat(named.instance()).contains(gateway + "/us-1/");
                claimOne(tx, predecessor.dialect(), named.value());
            }
        } else {
            claimOne(db.tx(), db.database().dialect(), gateway + "/" + UUID.randomUUID());
        }
        LeaseOwner owner = LeaseOwner.of(gateway, Optional.of("us-1").filter(id -> db.kind() == TestDatabase.Kind.POSTGRESQL),
                db.database()::lockInstance);
        WorkRunner restarted = new WorkRunner(db.tx(), new WorkQueue(db.database().dialect()), owner.value(), clock)
                .register(worker, simple());
        assertThat(restarted.claim(WorkLine.shared(WorkKind.AGENCY_PUSH))).as("held by the lease of run 1").isEmpty();

        if (db.kind() == TestDatabase.Kind.POSTGRESQL) {
            assertThat(restarted.releaseLeasesOfEarlierRuns(owner.instance().orElseThrow())).isEqualTo(1);
        } else {
            restarted.releaseStaleLeases();
        }

        assertThat(restarted.claim(WorkLine.shared(WorkKind.AGENCY_PUSH))).singleElement()
                .satisfies(b -> assertThat(WorkRows.refs(b.jobs())).containsExactly(ref));
    }

    @Test
    void on_a_shared_database_a_start_voids_only_its_own_earlier_runs_leases_and_runs_unnamed_beside_a_live_namesake()
            throws SQLException {
        String gateway = "gateway.us.puente.sample";
        try (TestDatabase db = new TestDatabase(TestDatabase.Kind.POSTGRESQL); Database live = db.openAnother()) {
            Map<String, String> owners = new java.util.LinkedHashMap<>();
            for (String owner : List.of(gateway + "/us-1/run-1", gateway + "/us-10/run-1", gateway + "/us-2/run-1",
                    gateway + "/" + UUID.randomUUID())) {
                String ref = enqueue(db, WorkKind.AGENCY_PUSH, 1, T0.plusSeconds(3600));
                claimOne(db.tx(), db.database().dialect(), owner);
                owners.put(ref, owner);
            }
            assertThat(LeaseOwner.of(gateway, Optional.of("us-1"), live::lockInstance).instance())
                    .as("a live process of us-1 holds the name").isPresent();
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?")) {
                ps.setString(1, "puente-instance " + gateway + "/us-1/");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the session that holds the name, as operators find it").isEqualTo(1);
                }
            }

            LeaseOwner beside = LeaseOwner.of(gateway, Optional.of("us-1"), db.database()::lockInstance);

            assertThat(beside.instance()).as("the name is held: this process runs unnamed").isEmpty();
            assertThat(beside.value()).startsWith(gateway + "/").doesNotStartWith(gateway + "/us-1/");
            owners.forEach((ref, owner) -> assertThat(existing(db, WorkKind.AGENCY_PUSH, ref).leaseOwner()).isEqualTo(owner));

            live.close();
            LeaseOwner next = LeaseOwner.of(gateway, Optional.of("us-1"), db.database()::lockInstance);
            WorkRunner runner = new WorkRunner(db.tx(), new WorkQueue(db.database().dialect()), next.value(), clock)
                    .register(new FakeWorker(WorkKind.AGENCY_PUSH, job -> Outcome.done(job, Outcome.Record.NOTHING)), simple());
            assertThat(runner.releaseLeasesOfEarlierRuns(next.instance().orElseThrow()))
                    .as("us-1's own job, once its live namesake is gone").isEqualTo(1);
            owners.forEach((ref, owner) -> assertThat(existing(db, WorkKind.AGENCY_PUSH, ref).leaseOwner())
                    .as(owner).isEqualTo(owner.startsWith(gateway + "/us-1/") ? null : owner));
        }
    }

    /** One job claimed (for an hour) by {@code owner}, as the runner of another run claims it. */
    private static void claimOne(Transactions tx, Dialect dialect, String owner) {
        List<List<Job>> claimed = tx.write(c -> new WorkQueue(dialect).claim(c, WorkLine.shared(WorkKind.AGENCY_PUSH), 1,
                1, Long.MAX_VALUE, owner, T0.plusSeconds(3600), T0));
        assertThat(claimed).hasSize(1);
    }

    /** Enqueues a job of {@code kind} due at T0 (ref: a new message id); returns its ref. */
    private static String enqueue(TestDatabase db, WorkKind kind, long size, Instant expiresAt) {
        UUID id = UUID.randomUUID();
        boolean added = db.tx().write(c -> new WorkQueue(db.database().dialect()).enqueue(c,
                NewJob.forMessage(kind, id, Lane.NORMAL, size, T0, expiresAt), T0));
        assertThat(added).isTrue();
        return id.toString();
    }

    private static void mark(Connection c, Job job, String status, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message_status (message_id, status, at) VALUES (?,?,?)")) {
            Jdbc.bind(ps, job.messageId(), status, at);
            ps.executeUpdate();
        }
    }

    private static List<String> marks(TestDatabase db, String ref) {
        return db.tx().read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT status FROM message_status WHERE message_id = ? ORDER BY id")) {
                Jdbc.bind(ps, UUID.fromString(ref));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }
}
