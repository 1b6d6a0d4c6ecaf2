package org.puente.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.count;
import static org.puente.engine.testing.StoreFixtures.header;
import static org.puente.engine.testing.StoreFixtures.isUniqueViolation;
import static org.puente.engine.testing.StoreFixtures.outbound;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.puente.engine.testing.TestPayloads;
import org.puente.model.Priority;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.store.Jdbc;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.outbound.MessageStatus;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.outbound.StatusStore;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.Poll;
import org.puente.engine.testing.TestDatabase;

class TransactionsTest {
    private final StatusStore statuses = new StatusStore();

    @OnBothDatabases
    void many_threads_writing_at_once_all_succeed_and_every_write_is_visible(TestDatabase db) throws Exception {
        Transactions tx = db.tx();
        List<Integer> groups = Collections.synchronizedList(new ArrayList<>());
        tx.setListener((units, nanos) -> groups.add(units));
        int threads = 8;
        int perThread = 60;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<UUID>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    UUID id = UUID.randomUUID();
                    return tx.write(c -> {
                        append(c, id, null);
                        return id;
                    });
                }));
            }
        }
        go.countDown();
        List<UUID> written = new ArrayList<>();
        for (Future<UUID> f : results) {
            written.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(written).doesNotHaveDuplicates().hasSize(threads * perThread);
        assertThat(rows(tx, "SELECT COUNT(*) FROM message_status")).isEqualTo(threads * perThread);
        for (UUID id : written.subList(0, 20)) {
            assertThat(history(tx, id)).extracting(StatusStore.Entry::status)
                    .containsExactly(MessageStatus.ACCEPTED);
        }
        assertThat(groups.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
    }

    @OnBothDatabases
    void a_failing_unit_is_rolled_back_alone_while_the_rest_of_its_group_commits(TestDatabase db) throws Exception {
        Transactions tx = db.tx();
        OutboxStore outbox = TestPayloads.outbox();
        AuditLog audit = new AuditLog(org.puente.model.Country.US, db.database().dialect());
        tx.addParticipant(audit);
        OutboxStore.NewMessage existing = outbound(header(Priority.NORMAL, T0), null);
        tx.write(c -> {
            outbox.insert(c, existing, T0);
            return null;
        });
        List<Integer> groups = Collections.synchronizedList(new ArrayList<>());
        tx.setListener((units, nanos) -> groups.add(units));

        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread blocker = writer(tx, c -> {
            blocking.countDown();
            release.await();
            return "blocker";
        }, new AtomicReference<>());
        assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();

        UUID first = UUID.randomUUID();
        UUID last = UUID.randomUUID();
        AtomicReference<Object> firstResult = new AtomicReference<>();
        AtomicReference<Object> failingResult = new AtomicReference<>();
        AtomicReference<Object> lastResult = new AtomicReference<>();
        Thread a = writer(tx, c -> {
            append(c, first, null);
            return "first";
        }, firstResult);
        awaitParked(a);
        Thread b = writer(tx, c -> {
            // a partial write of the failing unit, then the duplicate key: both must be undone
            audit.append(c, AuditEvent.action(AuditEventType.SUBMITTED, T0, "the failing unit", "partial"));
            outbox.insert(c, existing, T0);
            return "failing";
        }, failingResult);
        awaitParked(b);
        Thread d = writer(tx, c -> {
            append(c, last, null);
            return "last";
        }, lastResult);
        awaitParked(d);
        release.countDown();
        for (Thread t : List.of(blocker, a, b, d)) {
            t.join(30_000);
        }

        assertThat(groups).as("the blocker alone, then the three queued units as one group").containsExactly(1, 3);
        assertThat(firstResult.get()).isEqualTo("first");
        assertThat(lastResult.get()).isEqualTo("last");
        assertThat(failingResult.get()).isInstanceOfSatisfying(PuenteException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
            assertThat(e.getCause()).isInstanceOfSatisfying(SQLException.class,
                    s -> assertThat(isUniqueViolation(s)).as(s.toString()).isTrue());
        });
        assertThat(history(tx, first)).hasSize(1);
        assertThat(history(tx, last)).hasSize(1);
        assertThat(rows(tx, "SELECT COUNT(*) FROM audit_event WHERE detail = 'partial'")).isZero();
        assertThat(rows(tx, "SELECT COUNT(*) FROM outbox")).isEqualTo(1);
    }

    @OnBothDatabases
    void write_all_answers_one_outcome_per_unit_in_order_and_commits_only_the_successful_ones(TestDatabase db) {
        Transactions tx = db.tx();
        UUID kept1 = UUID.randomUUID();
        UUID undone = UUID.randomUUID();
        UUID kept2 = UUID.randomUUID();
        List<Transactions.Work<String>> works = List.of(
                c -> append(c, kept1, "one"),
                c -> {
                    append(c, undone, "refused");
                    throw new PuenteException(ErrorCode.IDEMPOTENCY_CONFLICT, "key-1");
                },
                c -> append(c, kept2, "three"),
                c -> {
                    throw new IllegalStateException("a defect in a unit");
                },
                c -> {
                    append(c, kept1, "again");
                    try (var ps = c.prepareStatement("INSERT INTO message_status (message_id, status, at) VALUES (?, ?, ?)")) {
                        Jdbc.bind(ps, kept1, MessageStatus.ACCEPTED, T0);
                        ps.executeUpdate();
                    }
                    return "never";
                });

        List<Transactions.Outcome<String>> outcomes = tx.writeAll(works);

        assertThat(outcomes).hasSize(5);
        assertThat(outcomes.get(0)).isEqualTo(new Transactions.Outcome<>("one", null));
        assertThat(outcomes.get(1).value()).isNull();
        assertThat(outcomes.get(1).failure().errorCode()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT);
        assertThat(outcomes.get(2)).isEqualTo(new Transactions.Outcome<>("three", null));
        assertThat(outcomes.get(3).failure().errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(outcomes.get(3).failure().getCause()).isInstanceOf(IllegalStateException.class);
        assertThat(outcomes.get(4).failure().errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(history(tx, kept1)).extracting(StatusStore.Entry::detail).containsExactly("one");
        assertThat(history(tx, kept2)).extracting(StatusStore.Entry::detail).containsExactly("three");
        assertThat(history(tx, undone)).isEmpty();
    }

    @OnBothDatabases
    void write_all_of_no_units_answers_no_outcomes(TestDatabase db) {
        assertThat(db.tx().<String>writeAll(List.of())).isEmpty();
    }

    @OnBothDatabases
    void a_write_after_close_fails_with_store_unavailable(TestDatabase db) {
        Transactions tx = db.tx();
        tx.write(c -> append(c, UUID.randomUUID(), "before close"));
        tx.close();

        assertThatThrownBy(() -> tx.write(c -> append(c, UUID.randomUUID(), "after close")))
                .isInstanceOfSatisfying(PuenteException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
        assertThatThrownBy(() -> tx.writeAll(List.of(c -> append(c, UUID.randomUUID(), "after close"))))
                .isInstanceOfSatisfying(PuenteException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
        assertThat(rows(tx, "SELECT COUNT(*) FROM message_status")).isEqualTo(1);
    }

    @OnBothDatabases
    void close_lets_the_units_already_queued_finish_before_the_writer_stops(TestDatabase db) throws Exception {
        Transactions tx = db.tx();
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread blocker = writer(tx, c -> {
            blocking.countDown();
            release.await();
            return "blocker";
        }, new AtomicReference<>());
        assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
        UUID queuedId = UUID.randomUUID();
        AtomicReference<Object> queued = new AtomicReference<>();
        Thread waiting = writer(tx, c -> append(c, queuedId, "queued before close"), queued);
        awaitParked(waiting);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(tx::close);
        release.countDown();
        closing.get(30, TimeUnit.SECONDS);
        blocker.join(30_000);
        waiting.join(30_000);

        assertThat(queued.get()).isEqualTo("queued before close");
        assertThat(history(tx, queuedId)).hasSize(1);
    }

    @OnBothDatabases
    void writers_racing_close_each_get_an_answer_and_every_success_is_stored(TestDatabase db) throws Exception {
        Transactions tx = db.tx();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<UUID>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                go.await();
                List<UUID> stored = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    UUID id = UUID.randomUUID();
                    try {
                        tx.write(c -> append(c, id, "racing close"));
                        stored.add(id);
                    } catch (PuenteException e) {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                        return stored;
                    }
                }
                return stored;
            }));
        }
        go.countDown();
        // close while the writers are busy: once some of their units are on disk
        assertThat(Poll.until(Duration.ofSeconds(30), () -> rows(tx, "SELECT COUNT(*) FROM message_status") >= 50
                ? Optional.of(true) : Optional.empty())).isPresent();
        tx.close();

        long successes = 0;
        for (Future<List<UUID>> f : results) {
            // a writer that enqueued after the writer thread's last look would wait here forever
            successes += f.get(30, TimeUnit.SECONDS).size();
        }
        pool.shutdownNow();
        assertThat(successes).isPositive();
        assertThat(rows(tx, "SELECT COUNT(*) FROM message_status")).isEqualTo(successes);
    }

    /**
     * A read of several statements sees one state of the store: a unit that commits between its
     * statements shows in none of them or in all. (A sender's status poll once showed a business
     * answer without the ANSWERED step that committed with it.)
     */
    @OnBothDatabases
    void a_read_of_several_statements_sees_one_state_even_when_a_write_commits_between_them(TestDatabase db)
            throws Exception {
        Transactions tx = db.tx();
        UUID id = UUID.randomUUID();
        long[] seen = tx.read(c -> {
            long before = count(c, "SELECT COUNT(*) FROM message_status");
            CompletableFuture.runAsync(() -> tx.write(w -> append(w, id, "committed between the reads")))
                    .orTimeout(30, TimeUnit.SECONDS).join();
            return new long[] {before, count(c, "SELECT COUNT(*) FROM message_status")};
        });

        assertThat(seen[1]).isEqualTo(seen[0]);
        assertThat(history(tx, id)).hasSize(1);
    }

    private List<StatusStore.Entry> history(Transactions tx, UUID id) {
        return tx.read(c -> statuses.history(c, id));
    }

    private static long rows(Transactions tx, String sql) {
        return tx.read(c -> count(c, sql));
    }

    /** A status row as the ledger writes it (a repeated status is ignored by the constraint). */
    private static String append(Connection c, UUID id, String detail) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO message_status (message_id, status, at, detail) VALUES (?,?,?,?)"
                + " ON CONFLICT (message_id, status) DO NOTHING")) {
            Jdbc.bind(ps, id, MessageStatus.ACCEPTED, T0, detail);
            ps.executeUpdate();
        }
        return detail;
    }

    /** A unit whose body may wait (a latch) or fail; an interruption is a test failure. */
    @FunctionalInterface
    private interface Unit {
        Object run(Connection c) throws SQLException, InterruptedException;
    }

    /** Starts a thread that writes one unit and keeps its result or its exception. */
    private static Thread writer(Transactions tx, Unit unit, AtomicReference<Object> result) {
        Thread t = new Thread(() -> {
            try {
                result.set(tx.write(c -> {
                    try {
                        return unit.run(c);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }));
            } catch (RuntimeException e) {
                result.set(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until {@code t} has queued its unit and waits for the group's commit. */
    private static void awaitParked(Thread t) {
        Optional<Boolean> parked = Poll.until(Duration.ofSeconds(10), () -> t.getState() == Thread.State.WAITING
                && Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().equals(CompletableFuture.class.getName()))
                ? Optional.of(true) : Optional.empty());
        assertThat(parked).as("the writer thread queued its unit").isPresent();
    }
}
