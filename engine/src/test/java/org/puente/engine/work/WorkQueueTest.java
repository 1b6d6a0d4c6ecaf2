package org.puente.engine.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.count;
import static org.puente.engine.work.WorkRows.LEASE;
import static org.puente.engine.work.WorkRows.claim;
import static org.puente.engine.work.WorkRows.enqueue;
import static org.puente.engine.work.WorkRows.existing;
import static org.puente.engine.work.WorkRows.refs;
import static org.puente.engine.work.WorkRows.row;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;
import org.puente.model.error.ErrorCode;

/**
 * The one work queue's SQL on both databases, each guarantee attacked where it is weakest: a
 * second enqueue of the same work, claim order across lanes and times a microsecond apart, the byte
 * budget at its edge, a lease at the instant it ends, a retry by an instance that lost the lease,
 * a second burial, and the operators' suspension.
 */
class WorkQueueTest {
    private static final long ANY_SIZE = Long.MAX_VALUE;

    @OnBothDatabases
    void enqueue_is_idempotent_per_kind_and_ref_and_the_first_job_stays_as_it_was(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());

        boolean first = enqueue(db, queue, new NewJob(WorkKind.PEER_ENVELOPE, "m-1", Lane.BULK, 100, T0, T0.plusSeconds(60)), T0);
        boolean again = enqueue(db, queue, new NewJob(WorkKind.PEER_ENVELOPE, "m-1", Lane.URGENT, 999, T0.minusSeconds(5),
                T0.plusSeconds(600)), T0.plusSeconds(1));
        boolean otherKind = enqueue(db, queue, new NewJob(WorkKind.DELIVERY_NOTICE, "m-1", Lane.NORMAL, 0, T0,
                T0.plusSeconds(60)), T0);

        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(otherKind).as("the same ref is another job for another kind").isTrue();
        WorkRows.Row r = existing(db, WorkKind.PEER_ENVELOPE, "m-1");
        assertThat(r.lane()).isEqualTo(Lane.BULK.ordinal());
        assertThat(r.sizeBytes()).isEqualTo(100);
        assertThat(r.runAt()).isEqualTo(T0);
        assertThat(r.expiresAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(r.state()).isEqualTo(WorkQueue.READY);
        assertThat(r.attempts()).isZero();
        assertThat(rows(db, "SELECT COUNT(*) FROM work")).isEqualTo(2);
    }

    @OnBothDatabases
    void an_enqueue_in_the_same_unit_as_a_duplicate_neither_fails_the_unit_nor_adds_a_job(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        NewJob job = new NewJob(WorkKind.AGENCY_PUSH, "m-2", Lane.NORMAL, 10, T0, T0.plusSeconds(60));

        List<Boolean> added = db.tx().write(c -> List.of(queue.enqueue(c, job, T0), queue.enqueue(c, job, T0)));

        assertThat(added).containsExactly(true, false);
        assertThat(rows(db, "SELECT COUNT(*) FROM work")).isEqualTo(1);
    }

    @OnBothDatabases
    void a_dead_job_keeps_its_key_so_the_same_work_is_not_queued_twice(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        enqueue(db, queue, WorkKind.PEER_ENVELOPE, "m-3", Lane.NORMAL, 10, T0);
        Job job = claim(db, queue, WorkKind.PEER_ENVELOPE, 10, ANY_SIZE, "a", T0).get(0);
        db.tx().write(c -> queue.bury(c, job, "a", ErrorCode.MESSAGE_EXPIRED, "late", T0));

        boolean again = enqueue(db, queue, WorkKind.PEER_ENVELOPE, "m-3", Lane.NORMAL, 10, T0.plusSeconds(1));

        assertThat(again).isFalse();
        assertThat(existing(db, WorkKind.PEER_ENVELOPE, "m-3").state()).isEqualTo(WorkQueue.DEAD);
    }

    @OnBothDatabases
    void claims_take_the_most_urgent_lane_first_then_the_earliest_run_time_and_nothing_not_yet_due(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.AGENCY_PUSH;
        // times a microsecond and a second apart, and one enqueued later but due earlier
        enqueue(db, queue, k, "bulk-oldest", Lane.BULK, 1, T0.minusSeconds(50));
        enqueue(db, queue, k, "normal-newer", Lane.NORMAL, 1, T0.minusSeconds(10));
        enqueue(db, queue, k, "urgent-newest", Lane.URGENT, 1, T0.minusNanos(1_000));
        enqueue(db, queue, k, "normal-older", Lane.NORMAL, 1, T0.minusSeconds(10).minusNanos(1_000));
        enqueue(db, queue, k, "urgent-older", Lane.URGENT, 1, T0.minusSeconds(5));
        enqueue(db, queue, k, "urgent-not-yet-due", Lane.URGENT, 1, T0.plusNanos(1_000));
        enqueue(db, queue, WorkKind.DROP_FILE, "other-kind", Lane.URGENT, 1, T0.minusSeconds(99));

        List<String> firstThree = refs(claim(db, queue, k, 3, ANY_SIZE, "a", T0));
        List<String> rest = refs(claim(db, queue, k, 10, ANY_SIZE, "a", T0));
        List<String> later = refs(claim(db, queue, k, 10, ANY_SIZE, "a", T0.plusNanos(1_000)));

        assertThat(firstThree).containsExactly("urgent-older", "urgent-newest", "normal-older");
        assertThat(rest).containsExactly("normal-newer", "bulk-oldest");
        assertThat(later).containsExactly("urgent-not-yet-due");
    }

    @OnBothDatabases
    void a_reserved_line_takes_only_its_own_lane_oldest_first_and_the_shared_line_takes_what_it_left(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "urgent-1", Lane.URGENT, 1, T0.minusSeconds(3));
        enqueue(db, queue, k, "normal-1", Lane.NORMAL, 1, T0.minusSeconds(90));
        enqueue(db, queue, k, "bulk-2", Lane.BULK, 1, T0.minusSeconds(40));
        enqueue(db, queue, k, "bulk-1", Lane.BULK, 1, T0.minusSeconds(50));
        enqueue(db, queue, k, "urgent-2", Lane.URGENT, 1, T0.minusSeconds(2));
        enqueue(db, queue, k, "bulk-not-yet-due", Lane.BULK, 1, T0.plusSeconds(1));

        List<String> bulk = refs(claimLine(db, queue, WorkLine.reserved(k, Lane.BULK), 10, T0));
        List<String> urgent = refs(claimLine(db, queue, WorkLine.reserved(k, Lane.URGENT), 1, T0));
        List<String> shared = refs(claimLine(db, queue, WorkLine.shared(k), 10, T0));

        assertThat(bulk).as("the BULK line: BULK only, whatever waits in the other lanes").containsExactly("bulk-1", "bulk-2");
        assertThat(urgent).containsExactly("urgent-1");
        assertThat(shared).as("the shared line: every lane, most urgent first, nothing another line leased")
                .containsExactly("urgent-2", "normal-1");
        assertThat(refs(claimLine(db, queue, WorkLine.reserved(k, Lane.URGENT), 10, T0))).isEmpty();
    }

    @OnBothDatabases
    void a_shared_line_down_to_normal_leaves_bulk_to_the_bulk_line_however_idle_it_is(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "bulk-oldest", Lane.BULK, 1, T0.minusSeconds(60));
        enqueue(db, queue, k, "normal", Lane.NORMAL, 1, T0.minusSeconds(5));
        enqueue(db, queue, k, "urgent", Lane.URGENT, 1, T0.minusSeconds(1));

        List<String> shared = refs(claimLine(db, queue, WorkLine.shared(k, Lane.NORMAL), 10, T0));
        List<String> bulk = refs(claimLine(db, queue, WorkLine.reserved(k, Lane.BULK), 10, T0));

        assertThat(shared).containsExactly("urgent", "normal");
        assertThat(bulk).containsExactly("bulk-oldest");
    }

    @OnBothDatabases
    void a_reserved_line_is_held_like_the_shared_one_while_delivery_to_the_peer_is_suspended(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        enqueue(db, queue, WorkKind.PEER_ENVELOPE, "urgent", Lane.URGENT, 1, T0.minusSeconds(1));
        db.tx().write(c -> new Switchboard().set(c, Switchboard.PEER_DELIVERY, true, "peer maintenance", "CN=US operator", T0));

        assertThat(claimLine(db, queue, WorkLine.reserved(WorkKind.PEER_ENVELOPE, Lane.URGENT), 10, T0)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void normal_is_the_shared_lines_own_lane_and_has_no_reserved_line() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkLine.reserved(WorkKind.PEER_ENVELOPE, Lane.NORMAL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void with_a_bulk_line_the_kinds_shared_line_stops_at_normal_and_without_one_takes_every_lane() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2));
        WorkSettings laned = new WorkSettings(10, 4, 100, LEASE, backoff, new WorkSettings.ReservedLanes(1, 1));
        WorkSettings urgentOnly = new WorkSettings(10, 4, 100, LEASE, backoff, new WorkSettings.ReservedLanes(1, 0));

        assertThat(laned.lines(WorkKind.PEER_ENVELOPE)).containsExactly(WorkLine.shared(WorkKind.PEER_ENVELOPE, Lane.NORMAL),
                WorkLine.reserved(WorkKind.PEER_ENVELOPE, Lane.URGENT), WorkLine.reserved(WorkKind.PEER_ENVELOPE, Lane.BULK));
        assertThat(urgentOnly.lines(WorkKind.PEER_ENVELOPE)).containsExactly(WorkLine.shared(WorkKind.PEER_ENVELOPE),
                WorkLine.reserved(WorkKind.PEER_ENVELOPE, Lane.URGENT));
        assertThat(laned.totalConcurrency()).isEqualTo(6);
        assertThat(laned.claimLimit(WorkLine.reserved(WorkKind.PEER_ENVELOPE, Lane.BULK))).isEqualTo(10);
    }

    private static List<Job> claimLine(TestDatabase db, WorkQueue queue, WorkLine line, int limit, Instant now) {
        return WorkRows.jobs(db.tx().write(c -> queue.claim(c, line, limit, 1, ANY_SIZE, "a", now.plus(LEASE), now)));
    }

    @OnBothDatabases
    void a_claimed_job_carries_what_it_was_enqueued_with(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        enqueue(db, queue, new NewJob(WorkKind.PEER_ENVELOPE, "7a4e6a52-3f4e-4a7c-9a53-3f4b1c2d9e10", Lane.URGENT, 2464,
                T0, T0.plusSeconds(3600)), T0.minusSeconds(1));

        Job job = claim(db, queue, WorkKind.PEER_ENVELOPE, 10, ANY_SIZE, "a", T0).get(0);

        assertThat(job.kind()).isEqualTo(WorkKind.PEER_ENVELOPE);
        assertThat(job.lane()).isEqualTo(Lane.URGENT);
        assertThat(job.sizeBytes()).isEqualTo(2464);
        assertThat(job.attempts()).isZero();
        assertThat(job.expiresAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(job.createdAt()).isEqualTo(T0.minusSeconds(1));
        assertThat(job.messageId()).hasToString("7a4e6a52-3f4e-4a7c-9a53-3f4b1c2d9e10");
        WorkRows.Row r = existing(db, WorkKind.PEER_ENVELOPE, job.ref());
        assertThat(r.leaseOwner()).isEqualTo("a");
        assertThat(r.leaseUntil()).isEqualTo(T0.plus(LEASE));
    }

    @OnBothDatabases
    void a_claim_stops_at_its_byte_budget_in_claim_order_and_leaves_the_rest_unleased(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "first-400", Lane.NORMAL, 400, T0.minusSeconds(4));
        enqueue(db, queue, k, "second-600", Lane.NORMAL, 600, T0.minusSeconds(3));
        enqueue(db, queue, k, "third-1", Lane.NORMAL, 1, T0.minusSeconds(2));
        enqueue(db, queue, k, "fourth-100", Lane.NORMAL, 100, T0.minusSeconds(1));

        // 400 + 600 is exactly the budget; the 1-byte job after it would exceed it
        List<String> exact = refs(claim(db, queue, k, 10, 1000, "a", T0));
        List<String> next = refs(claim(db, queue, k, 10, 100, "b", T0));

        assertThat(exact).containsExactly("first-400", "second-600");
        assertThat(next).as("taken in order up to the budget, not skipped").containsExactly("third-1");
        assertThat(existing(db, k, "fourth-100").leaseOwner()).isNull();
    }

    @OnBothDatabases
    void a_claim_does_not_skip_a_large_job_to_fill_its_budget_with_later_small_ones(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "small", Lane.NORMAL, 100, T0.minusSeconds(3));
        enqueue(db, queue, k, "large", Lane.NORMAL, 5000, T0.minusSeconds(2));
        enqueue(db, queue, k, "small-later", Lane.NORMAL, 100, T0.minusSeconds(1));

        assertThat(refs(claim(db, queue, k, 10, 1000, "a", T0))).containsExactly("small");
    }

    @OnBothDatabases
    void a_job_larger_than_the_whole_budget_is_still_claimed_alone(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "huge", Lane.NORMAL, 50_000, T0.minusSeconds(2));
        enqueue(db, queue, k, "small", Lane.NORMAL, 1, T0.minusSeconds(1));

        List<String> first = refs(claim(db, queue, k, 10, 1000, "a", T0));
        List<String> second = refs(claim(db, queue, k, 10, 1000, "a", T0));

        assertThat(first).containsExactly("huge");
        assertThat(second).containsExactly("small");
    }

    @OnBothDatabases
    void a_claim_leases_at_most_its_batches_and_leaves_the_jobs_of_a_further_batch_unleased_for_the_next_claim(
            TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        // batches of at most 2 jobs and 1000 bytes, 2 at once: no two 600-byte jobs share a batch
        enqueue(db, queue, k, "a-600", Lane.NORMAL, 600, T0.minusSeconds(4));
        enqueue(db, queue, k, "b-600", Lane.NORMAL, 600, T0.minusSeconds(3));
        enqueue(db, queue, k, "c-600", Lane.NORMAL, 600, T0.minusSeconds(2));
        enqueue(db, queue, k, "d-100", Lane.NORMAL, 100, T0.minusSeconds(1));

        List<List<Job>> first = WorkRows.claimBatches(db, queue, k, 2, 2, 1000, "a", T0);
        WorkRows.Row third = existing(db, k, "c-600");
        WorkRows.Row fourth = existing(db, k, "d-100");
        List<List<Job>> next = WorkRows.claimBatches(db, queue, k, 2, 2, 1000, "b", T0);

        assertThat(first).extracting(WorkRows::refs).containsExactly(List.of("a-600"), List.of("b-600"));
        assertThat(existing(db, k, "a-600").leaseOwner()).isEqualTo("a");
        assertThat(existing(db, k, "b-600").leaseOwner()).isEqualTo("a");
        assertThat(third.leaseOwner()).as("a job that would need a third batch is left unleased").isNull();
        assertThat(third.leaseUntil()).isNull();
        assertThat(fourth.leaseOwner()).as("and so is every job after it: none is skipped ahead").isNull();
        assertThat(next).as("the next claim starts where this one stopped")
                .extracting(WorkRows::refs).containsExactly(List.of("c-600", "d-100"));
        assertThat(existing(db, k, "c-600").leaseOwner()).isEqualTo("b");
    }

    @OnBothDatabases
    void a_claim_cuts_its_batches_by_count_and_bytes_and_a_job_larger_than_a_batch_goes_in_a_batch_of_its_own(
            TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.AGENCY_PUSH;
        enqueue(db, queue, k, "one", Lane.NORMAL, 1, T0.minusSeconds(6));
        enqueue(db, queue, k, "two", Lane.NORMAL, 1, T0.minusSeconds(5));
        enqueue(db, queue, k, "three", Lane.NORMAL, 1, T0.minusSeconds(4));
        enqueue(db, queue, k, "huge", Lane.NORMAL, 50_000, T0.minusSeconds(3));
        enqueue(db, queue, k, "four", Lane.NORMAL, 1, T0.minusSeconds(2));
        enqueue(db, queue, k, "five", Lane.NORMAL, 1, T0.minusSeconds(1));

        List<List<Job>> batches = WorkRows.claimBatches(db, queue, k, 2, 3, 1000, "a", T0);
        List<List<Job>> rest = WorkRows.claimBatches(db, queue, k, 2, 3, 1000, "a", T0);

        assertThat(batches).extracting(WorkRows::refs)
                .containsExactly(List.of("one", "two"), List.of("three"), List.of("huge"));
        assertThat(rest).extracting(WorkRows::refs).containsExactly(List.of("four", "five"));
    }

    @OnBothDatabases
    void a_claim_of_several_batches_counts_only_what_it_leased_and_finds_nothing_while_all_is_leased(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.DROP_FILE;
        for (int i = 0; i < 5; i++) {
            enqueue(db, queue, k, "job-" + i, Lane.NORMAL, 1, T0.minusSeconds(10 - i));
        }

        List<List<Job>> first = WorkRows.claimBatches(db, queue, k, 2, 2, Long.MAX_VALUE, "a", T0);
        List<List<Job>> second = WorkRows.claimBatches(db, queue, k, 2, 2, Long.MAX_VALUE, "a", T0);
        List<List<Job>> none = WorkRows.claimBatches(db, queue, k, 2, 2, Long.MAX_VALUE, "a", T0);

        assertThat(first).extracting(WorkRows::refs).containsExactly(List.of("job-0", "job-1"), List.of("job-2", "job-3"));
        assertThat(second).extracting(WorkRows::refs).containsExactly(List.of("job-4"));
        assertThat(none).isEmpty();
        assertThat(rows(db, "SELECT COUNT(*) FROM work WHERE lease_owner = 'a'")).isEqualTo(5);
    }

    @OnBothDatabases
    void a_leased_job_is_not_claimed_again_until_its_lease_has_lapsed(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.DELIVERY_NOTICE;
        enqueue(db, queue, k, "m", Lane.NORMAL, 0, T0);

        List<String> byA = refs(claim(db, queue, k, 10, ANY_SIZE, "a", T0));
        List<String> meanwhile = refs(claim(db, queue, k, 10, ANY_SIZE, "b", T0.plusSeconds(1)));
        List<String> atTheEnd = refs(claim(db, queue, k, 10, ANY_SIZE, "b", T0.plus(LEASE)));
        List<String> justAfter = refs(claim(db, queue, k, 10, ANY_SIZE, "b", T0.plus(LEASE).plusNanos(1_000)));

        assertThat(byA).containsExactly("m");
        assertThat(meanwhile).isEmpty();
        assertThat(atTheEnd).as("the lease runs until its last microsecond").isEmpty();
        assertThat(justAfter).containsExactly("m");
        WorkRows.Row r = existing(db, k, "m");
        assertThat(r.leaseOwner()).isEqualTo("b");
        assertThat(r.leaseUntil()).isEqualTo(T0.plus(LEASE).plusNanos(1_000).plus(LEASE));
    }

    @OnBothDatabases
    void released_leases_make_claimed_jobs_claimable_at_once(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        enqueue(db, queue, WorkKind.AGENCY_PUSH, "m", Lane.NORMAL, 0, T0);
        claim(db, queue, WorkKind.AGENCY_PUSH, 10, ANY_SIZE, "previous-run", T0);

        int released = db.tx().write(queue::releaseAllLeases);

        assertThat(released).isEqualTo(1);
        assertThat(refs(claim(db, queue, WorkKind.AGENCY_PUSH, 10, ANY_SIZE, "this-run", T0))).containsExactly("m");
    }

    @OnBothDatabases
    void a_retry_by_the_lease_owner_counts_the_attempt_drops_the_lease_and_waits_for_its_time(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "m", Lane.NORMAL, 0, T0);
        Job job = claim(db, queue, k, 10, ANY_SIZE, "a", T0).get(0);
        Instant next = T0.plusSeconds(8);

        boolean retried = db.tx().write(c -> queue.retry(c, job, "a", next, ErrorCode.PEER_UNREACHABLE,
                "connection refused", T0.plusSeconds(1)));

        assertThat(retried).isTrue();
        WorkRows.Row r = existing(db, k, "m");
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.runAt()).isEqualTo(next);
        assertThat(r.leaseOwner()).isNull();
        assertThat(r.leaseUntil()).isNull();
        assertThat(r.lastErrorCode()).isEqualTo(ErrorCode.PEER_UNREACHABLE.code());
        assertThat(r.lastErrorDetail()).isEqualTo("connection refused");
        assertThat(claim(db, queue, k, 10, ANY_SIZE, "a", next.minusNanos(1_000))).as("not due yet").isEmpty();
        List<Job> again = claim(db, queue, k, 10, ANY_SIZE, "a", next);
        assertThat(refs(again)).containsExactly("m");
        assertThat(again.get(0).attempts()).isEqualTo(1);
    }

    @OnBothDatabases
    void a_retry_by_an_instance_that_lost_the_lease_changes_nothing(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "m", Lane.NORMAL, 0, T0);
        Job byA = claim(db, queue, k, 10, ANY_SIZE, "a", T0).get(0);
        Instant lapsed = T0.plus(LEASE).plusSeconds(1);
        claim(db, queue, k, 10, ANY_SIZE, "b", lapsed);

        boolean late = db.tx().write(c -> queue.retry(c, byA, "a", lapsed.plusSeconds(60), ErrorCode.PEER_TIMEOUT,
                "too slow", lapsed));

        assertThat(late).isFalse();
        WorkRows.Row r = existing(db, k, "m");
        assertThat(r.attempts()).isZero();
        assertThat(r.leaseOwner()).isEqualTo("b");
        assertThat(r.leaseUntil()).isEqualTo(lapsed.plus(LEASE));
        assertThat(r.runAt()).isEqualTo(T0);
        assertThat(r.lastErrorCode()).isNull();
    }

    @OnBothDatabases
    void a_job_is_buried_once_keeps_its_last_failure_and_is_never_claimed_again(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "m", Lane.NORMAL, 0, T0);
        Job job = claim(db, queue, k, 10, ANY_SIZE, "a", T0).get(0);
        db.tx().write(c -> queue.retry(c, job, "a", T0.plusSeconds(5), ErrorCode.PEER_UNREACHABLE, "refused", T0));

        boolean first = db.tx().write(c -> queue.bury(c, job, "a", ErrorCode.MESSAGE_EXPIRED, "time ran out",
                T0.plusSeconds(9)));
        boolean second = db.tx().write(c -> queue.bury(c, job, "a", ErrorCode.MESSAGE_EXPIRED, "again",
                T0.plusSeconds(10)));
        boolean retryAfter = db.tx().write(c -> queue.retry(c, job, "a", T0.plusSeconds(20), ErrorCode.PEER_UNREACHABLE,
                "late", T0.plusSeconds(10)));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(retryAfter).as("a dead job is not retried").isFalse();
        List<WorkQueue.DeadJob> dead = db.tx().read(c -> queue.dead(c, k, 10));
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.job().ref()).isEqualTo("m");
            assertThat(d.job().attempts()).isEqualTo(1);
            assertThat(d.lastErrorCode()).as("the failure that kept it from being done").isEqualTo("peer_unreachable");
            assertThat(d.lastErrorDetail()).isEqualTo("refused");
            assertThat(d.since()).isEqualTo(T0.plusSeconds(9));
        });
        assertThat(claim(db, queue, k, 10, ANY_SIZE, "b", T0.plus(Duration.ofDays(30)))).isEmpty();
        assertThat(deadCount(db, queue)).isEqualTo(1);
        WorkQueue.Depth depth = db.tx().read(c -> queue.depth(c, k));
        assertThat(depth).isEqualTo(new WorkQueue.Depth(0, 1, null));
    }

    @OnBothDatabases
    void bury_leaves_a_job_another_instance_holds_under_a_live_lease_and_takes_it_once_that_lease_lapsed(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "m", Lane.NORMAL, 0, T0);
        Job job = claim(db, queue, k, 10, ANY_SIZE, "b", T0).get(0);

        boolean whileHeld = db.tx().write(c -> queue.bury(c, job, "a", ErrorCode.MESSAGE_EXPIRED, "late",
                T0.plusSeconds(1)));
        WorkRows.Row held = existing(db, k, "m");
        boolean atTheEnd = db.tx().write(c -> queue.bury(c, job, "a", ErrorCode.MESSAGE_EXPIRED, "late", T0.plus(LEASE)));
        boolean lapsed = db.tx().write(c -> queue.bury(c, job, "a", ErrorCode.MESSAGE_EXPIRED, "late",
                T0.plus(LEASE).plusNanos(1_000)));

        assertThat(whileHeld).as("b is performing it: its outcome decides").isFalse();
        assertThat(held.state()).isEqualTo(WorkQueue.READY);
        assertThat(held.leaseOwner()).isEqualTo("b");
        assertThat(held.leaseUntil()).isEqualTo(T0.plus(LEASE));
        assertThat(held.lastErrorCode()).isNull();
        assertThat(atTheEnd).as("the lease runs until its last microsecond").isFalse();
        assertThat(lapsed).isTrue();
        WorkRows.Row dead = existing(db, k, "m");
        assertThat(dead.state()).isEqualTo(WorkQueue.DEAD);
        assertThat(dead.leaseOwner()).isNull();
        assertThat(dead.lastErrorCode()).isEqualTo(ErrorCode.MESSAGE_EXPIRED.code());
    }

    @OnBothDatabases
    void the_lease_owner_buries_its_own_job_under_its_live_lease(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.AGENCY_PUSH;
        enqueue(db, queue, k, "m", Lane.NORMAL, 0, T0);
        Job job = claim(db, queue, k, 10, ANY_SIZE, "a", T0).get(0);

        boolean buried = db.tx().write(c -> queue.bury(c, job, "a", ErrorCode.MESSAGE_EXPIRED, "late", T0.plusSeconds(1)));

        assertThat(buried).isTrue();
        assertThat(existing(db, k, "m").state()).isEqualTo(WorkQueue.DEAD);
    }

    @OnBothDatabases
    void a_job_buried_without_an_earlier_failure_is_dead_with_the_burial_reason(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        enqueue(db, queue, WorkKind.DROP_FILE, "m", Lane.NORMAL, 0, T0);
        Job job = claim(db, queue, WorkKind.DROP_FILE, 10, ANY_SIZE, "a", T0).get(0);

        db.tx().write(c -> queue.bury(c, job, "a", ErrorCode.MESSAGE_EXPIRED, "time ran out", T0));

        Optional<WorkQueue.DeadJob> dead = db.tx().read(c -> queue.deadJob(c, WorkKind.DROP_FILE, "m"));
        assertThat(dead).get().satisfies(d -> {
            assertThat(d.lastErrorCode()).isEqualTo("message_expired");
            assertThat(d.lastErrorDetail()).isEqualTo("time ran out");
        });
        assertThat(existing(db, WorkKind.DROP_FILE, "m").leaseOwner()).as("a dead job holds no lease").isNull();
        Optional<WorkQueue.DeadJob> otherKind = db.tx().read(c -> queue.deadJob(c, WorkKind.AGENCY_PUSH, "m"));
        assertThat(otherKind).isEmpty();
    }

    @OnBothDatabases
    void a_revived_dead_job_is_due_at_once_with_a_fresh_count_and_expiry_and_only_a_dead_job_revives(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "dead", Lane.URGENT, 0, T0);
        enqueue(db, queue, k, "waiting", Lane.NORMAL, 0, T0);
        Job job = claim(db, queue, k, 1, ANY_SIZE, "a", T0).get(0);
        db.tx().write(c -> queue.retry(c, job, "a", T0.plusSeconds(1), ErrorCode.PEER_UNREACHABLE, "refused", T0));
        db.tx().write(c -> queue.bury(c, job, "a", ErrorCode.MESSAGE_EXPIRED, "late", T0.plusSeconds(2)));
        Instant redrive = T0.plus(Duration.ofDays(2));
        Instant newExpiry = redrive.plus(Duration.ofDays(1));

        boolean revived = db.tx().write(c -> queue.revive(c, k, "dead", 0, newExpiry, redrive));
        boolean twice = db.tx().write(c -> queue.revive(c, k, "dead", 0, newExpiry, redrive));
        boolean notDead = db.tx().write(c -> queue.revive(c, k, "waiting", 0, newExpiry, redrive));
        boolean unknown = db.tx().write(c -> queue.revive(c, k, "nothing", 0, newExpiry, redrive));

        assertThat(revived).isTrue();
        assertThat(twice).isFalse();
        assertThat(notDead).isFalse();
        assertThat(unknown).isFalse();
        WorkRows.Row r = existing(db, k, "dead");
        assertThat(r.state()).isEqualTo(WorkQueue.READY);
        assertThat(r.attempts()).isZero();
        assertThat(r.runAt()).isEqualTo(redrive);
        assertThat(r.expiresAt()).isEqualTo(newExpiry);
        assertThat(r.lastErrorCode()).isNull();
        assertThat(r.lastErrorDetail()).isNull();
        assertThat(existing(db, k, "waiting").expiresAt()).as("the waiting job is untouched")
                .isEqualTo(T0.plus(Duration.ofDays(1)));
        assertThat(refs(claim(db, queue, k, 10, ANY_SIZE, "b", redrive))).containsExactly("dead", "waiting");
    }

    @OnBothDatabases
    void a_revived_job_carries_the_size_it_is_revived_with_and_the_next_claim_packs_it_by_that_size(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "resealed", Lane.NORMAL, 100, T0.minusSeconds(2));
        Job job = claim(db, queue, k, 1, ANY_SIZE, "a", T0).get(0);
        db.tx().write(c -> queue.bury(c, job, "a", ErrorCode.MESSAGE_EXPIRED, "late", T0));
        enqueue(db, queue, k, "small", Lane.NORMAL, 100, T0.minusSeconds(1));
        Instant redrive = T0.plus(Duration.ofDays(2));

        boolean revived = db.tx().write(c -> queue.revive(c, k, "resealed", 2_600, redrive.plus(Duration.ofDays(1)),
                redrive));

        assertThat(revived).isTrue();
        assertThat(existing(db, k, "resealed").sizeBytes()).isEqualTo(2_600);
        assertThat(existing(db, k, "small").sizeBytes()).as("only the revived job changes").isEqualTo(100);
        // the small job is due first now; at the revived job's new size the two no longer fit one batch
        assertThat(WorkRows.claimBatches(db, queue, k, 10, 2, 1000, "b", redrive)).extracting(WorkRows::refs)
                .containsExactly(List.of("small"), List.of("resealed"));
    }

    @OnBothDatabases
    void peer_bound_work_is_held_while_delivery_to_the_peer_is_suspended_and_released_on_resume(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        Switchboard switches = new Switchboard();
        for (WorkKind k : WorkKind.values()) {
            enqueue(db, queue, k, "m", Lane.NORMAL, 0, T0);
        }
        Switchboard.Position beforeSuspension = db.tx().write(c -> switches.set(c, Switchboard.PEER_DELIVERY, true,
                "peer maintenance", "CN=US operator", T0));
        Switchboard.Position beforeSecondSuspension = db.tx().write(c -> switches.set(c, Switchboard.PEER_DELIVERY, true,
                "again", "CN=MX operator", T0.plusSeconds(1)));

        for (WorkKind k : WorkKind.values()) {
            List<Job> claimed = claim(db, queue, k, 10, ANY_SIZE, "a", T0.plusSeconds(2));
            assertThat(claimed).as(k + " while suspended").hasSize(k.towardsPeer() ? 0 : 1);
        }
        Switchboard.Position beforeResume = db.tx().write(c -> switches.set(c, Switchboard.PEER_DELIVERY, false, null,
                "CN=US operator", T0.plusSeconds(3)));
        for (WorkKind k : WorkKind.values()) {
            List<Job> claimed = claim(db, queue, k, 10, ANY_SIZE, "a", T0.plusSeconds(4));
            assertThat(claimed).as(k + " after resume").hasSize(k.towardsPeer() ? 1 : 0);
        }

        assertThat(beforeSuspension).isEqualTo(Switchboard.Position.RUNNING_SINCE_START);
        assertThat(beforeSecondSuspension).as("each set answers where the switch was")
                .isEqualTo(new Switchboard.Position(true, "peer maintenance", "CN=US operator", T0));
        assertThat(beforeResume).as("a set in the same position takes its reason and actor, not its time")
                .isEqualTo(new Switchboard.Position(true, "again", "CN=MX operator", T0));
        assertThat(List.of(WorkKind.PEER_ENVELOPE, WorkKind.DELIVERY_NOTICE, WorkKind.RECONCILIATION))
                .allMatch(WorkKind::towardsPeer);
        Switchboard.Position p = db.tx().read(c -> switches.position(c, Switchboard.PEER_DELIVERY));
        assertThat(p).isEqualTo(new Switchboard.Position(false, null, "CN=US operator", T0.plusSeconds(3)));
    }

    @OnBothDatabases
    void a_switch_never_thrown_reads_as_running(TestDatabase db) {
        Switchboard.Position p = db.tx().read(c -> new Switchboard().position(c, Switchboard.PEER_DELIVERY));

        assertThat(p).isEqualTo(Switchboard.Position.RUNNING_SINCE_START);
    }

    @OnBothDatabases
    void expired_lists_waiting_jobs_past_their_time_that_no_worker_holds_oldest_expiry_first(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.AGENCY_PUSH;
        enqueue(db, queue, new NewJob(k, "expired-second", Lane.URGENT, 0, T0, T0.plusSeconds(20)), T0);
        enqueue(db, queue, new NewJob(k, "expired-first", Lane.BULK, 0, T0, T0.plusSeconds(10)), T0);
        enqueue(db, queue, new NewJob(k, "expires-exactly-now", Lane.NORMAL, 0, T0, T0.plusSeconds(30)), T0);
        enqueue(db, queue, new NewJob(k, "alive", Lane.NORMAL, 0, T0, T0.plusSeconds(31)), T0);
        enqueue(db, queue, new NewJob(WorkKind.DROP_FILE, "other-kind", Lane.NORMAL, 0, T0, T0.plusSeconds(1)), T0);
        enqueue(db, queue, new NewJob(k, "held", Lane.URGENT, 0, T0.plusSeconds(-1), T0.plusSeconds(5)), T0);
        claim(db, queue, k, 1, ANY_SIZE, "a", T0.plusSeconds(25));

        List<String> expired = refs(db.tx().read(c -> queue.expired(c, k, T0.plusSeconds(30), 10)));
        List<String> limited = refs(db.tx().read(c -> queue.expired(c, k, T0.plusSeconds(30), 1)));

        assertThat(expired).containsExactly("expired-first", "expired-second", "expires-exactly-now");
        assertThat(limited).containsExactly("expired-first");
    }

    @OnBothDatabases
    void the_depth_counts_waiting_and_dead_jobs_of_one_kind_and_names_the_oldest_waiting(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        WorkQueue.Depth empty = db.tx().read(c -> queue.depth(c, k));
        enqueue(db, queue, k, "old", Lane.NORMAL, 0, T0.minusSeconds(100));
        enqueue(db, queue, k, "new", Lane.NORMAL, 0, T0);
        enqueue(db, queue, k, "oldest-dies", Lane.URGENT, 0, T0.minusSeconds(500));
        enqueue(db, queue, WorkKind.DELIVERY_NOTICE, "other", Lane.NORMAL, 0, T0.minusSeconds(900));
        Job dying = claim(db, queue, k, 1, ANY_SIZE, "a", T0).get(0);
        db.tx().write(c -> queue.bury(c, dying, "a", ErrorCode.MESSAGE_EXPIRED, "late", T0));

        WorkQueue.Depth depth = db.tx().read(c -> queue.depth(c, k));

        assertThat(dying.ref()).isEqualTo("oldest-dies");
        assertThat(empty.waiting()).isZero();
        assertThat(empty.dead()).isZero();
        assertThat(empty.oldestWaiting()).isNull();
        assertThat(depth).isEqualTo(new WorkQueue.Depth(2, 1, T0.minusSeconds(100)));
        assertThat(deadCount(db, queue)).isEqualTo(1);
    }

    @OnBothDatabases
    void lane_depths_count_the_waiting_jobs_of_one_kind_per_lane_leased_ones_too_and_not_the_dead(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        WorkKind k = WorkKind.PEER_ENVELOPE;
        enqueue(db, queue, k, "urgent-dies", Lane.URGENT, 0, T0.minusSeconds(500));
        enqueue(db, queue, k, "urgent", Lane.URGENT, 0, T0.minusSeconds(20));
        enqueue(db, queue, k, "bulk-old", Lane.BULK, 0, T0.minusSeconds(300));
        enqueue(db, queue, k, "bulk-new", Lane.BULK, 0, T0.minusSeconds(1));
        enqueue(db, queue, WorkKind.AGENCY_PUSH, "other-kind", Lane.NORMAL, 0, T0.minusSeconds(900));
        Job dying = claim(db, queue, k, 1, ANY_SIZE, "a", T0).get(0);
        db.tx().write(c -> queue.bury(c, dying, "a", ErrorCode.MESSAGE_EXPIRED, "late", T0));
        claimBulk(db, queue);

        java.util.Map<Lane, WorkQueue.LaneDepth> depths = db.tx().read(c -> queue.laneDepths(c, k));

        assertThat(dying.ref()).isEqualTo("urgent-dies");
        assertThat(depths).containsOnlyKeys(Lane.URGENT, Lane.BULK);
        assertThat(depths.get(Lane.URGENT)).isEqualTo(new WorkQueue.LaneDepth(1, T0.minusSeconds(20)));
        assertThat(depths.get(Lane.BULK)).as("a leased job still waits to be done")
                .isEqualTo(new WorkQueue.LaneDepth(2, T0.minusSeconds(300)));
    }

    private static void claimBulk(TestDatabase db, WorkQueue queue) {
        assertThat(claimLine(db, queue, WorkLine.reserved(WorkKind.PEER_ENVELOPE, Lane.BULK), 1, T0)).hasSize(1);
    }

    @OnBothDatabases
    void done_removes_the_job_from_the_queue(TestDatabase db) {
        WorkQueue queue = new WorkQueue(db.database().dialect());
        enqueue(db, queue, WorkKind.AGENCY_PUSH, "m", Lane.NORMAL, 0, T0);
        enqueue(db, queue, WorkKind.AGENCY_PUSH, "other", Lane.NORMAL, 0, T0);
        Job job = claim(db, queue, WorkKind.AGENCY_PUSH, 1, ANY_SIZE, "a", T0).get(0);

        db.tx().write(c -> {
            queue.done(c, job);
            return null;
        });

        assertThat(row(db, WorkKind.AGENCY_PUSH, job.ref())).isEmpty();
        assertThat(rows(db, "SELECT COUNT(*) FROM work")).isEqualTo(1);
    }

    private static long deadCount(TestDatabase db, WorkQueue queue) {
        return db.tx().read(queue::deadCount);
    }

    private static long rows(TestDatabase db, String sql, Object... params) {
        return db.tx().read(c -> count(c, sql, params));
    }
}
