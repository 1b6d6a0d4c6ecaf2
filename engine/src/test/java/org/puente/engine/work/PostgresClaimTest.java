package org.puente.engine.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.testing.StoreFixtures.T0;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.puente.audit.store.Dialect;
import org.puente.engine.store.Transactions;
import org.puente.engine.testing.TestDatabase;

/**
 * Several gateway instances share one PostgreSQL database and claim from the same queue, each in
 * its own transactions: {@code FOR UPDATE SKIP LOCKED} must keep any job from being claimed twice,
 * and an instance must skip the rows another one is claiming instead of waiting for them.
 */
class PostgresClaimTest {
    private static final Duration LEASE = Duration.ofHours(1);

    @Test
    void a_claimer_skips_the_jobs_another_open_claim_holds_instead_of_waiting_for_them() throws Exception {
        try (TestDatabase db = new TestDatabase(TestDatabase.Kind.POSTGRESQL)) {
            WorkQueue queue = new WorkQueue(db.database().dialect());
            assertThat(db.database().dialect()).isEqualTo(Dialect.POSTGRESQL);
            List<String> all = enqueue(db, queue, 8);

            try (Connection one = instanceConnection(db); Connection two = instanceConnection(db)) {
                List<String> byOne = oneBatch(queue, one, 3, "instance-1");
                // instance 1 has not committed: its rows are locked, and instance 2 must skip them, not wait
                // (with a plain FOR UPDATE it would wait, and fail on the lock timeout)
                List<String> byTwo = oneBatch(queue, two, 3, "instance-2");
                one.commit();
                two.commit();

                assertThat(byOne).isEqualTo(all.subList(0, 3));
                assertThat(byTwo).doesNotContainAnyElementsOf(byOne).isEqualTo(all.subList(3, 6));
                List<String> rest = oneBatch(queue, one, 10, "instance-1");
                one.commit();
                assertThat(rest).isEqualTo(all.subList(6, 8));
            }
        }
    }

    @Test
    void two_gateway_writers_claiming_the_same_queue_at_once_take_every_job_exactly_once() throws Exception {
        int jobs = 400;
        try (TestDatabase db = new TestDatabase(TestDatabase.Kind.POSTGRESQL);
             Transactions one = new Transactions(db.database(), 512);
             Transactions two = new Transactions(db.database(), 512)) {
            WorkQueue queue = new WorkQueue(db.database().dialect());
            List<String> all = enqueue(db, queue, jobs);
            List<Transactions> instances = List.of(one, two);
            int threadsEach = 3;
            CyclicBarrier start = new CyclicBarrier(threadsEach * instances.size());
            ExecutorService pool = Executors.newFixedThreadPool(threadsEach * instances.size());
            List<Future<List<String>>> claims = new ArrayList<>();
            for (int i = 0; i < threadsEach * instances.size(); i++) {
                Transactions tx = instances.get(i % instances.size());
                String owner = "instance-" + (i % instances.size());
                claims.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    List<String> mine = new ArrayList<>();
                    while (true) {
                        // each claim (two batches of five) is one unit of its instance's write group,
                        // committed with the others
                        List<Job> batch = WorkRows.jobs(tx.write(c -> queue.claim(c, WorkKind.PEER_ENVELOPE, 5, 2,
                                Long.MAX_VALUE, owner, T0.plus(LEASE), T0)));
                        if (batch.isEmpty()) {
                            return mine;
                        }
                        mine.addAll(WorkRows.refs(batch));
                    }
                }));
            }
            List<String> claimed = new ArrayList<>();
            List<List<String>> perThread = new ArrayList<>();
            for (Future<List<String>> f : claims) {
                List<String> mine = f.get(120, TimeUnit.SECONDS);
                perThread.add(mine);
                claimed.addAll(mine);
            }
            pool.shutdown();

            assertThat(claimed).doesNotHaveDuplicates().hasSize(jobs);
            assertThat(new HashSet<>(claimed)).isEqualTo(new HashSet<>(all));
            long byFirst = 0;
            for (int i = 0; i < perThread.size(); i += instances.size()) {
                byFirst += perThread.get(i).size();
            }
            assertThat(byFirst).as("both instances took part").isBetween(1L, (long) jobs - 1);
        }
    }

    /** One batch of at most {@code size} jobs claimed on {@code c} (not committed); their refs in claim order. */
    private static List<String> oneBatch(WorkQueue queue, Connection c, int size, String owner) throws SQLException {
        return WorkRows.refs(WorkRows.jobs(queue.claim(c, WorkKind.PEER_ENVELOPE, size, 1, Long.MAX_VALUE, owner,
                T0.plus(LEASE), T0)));
    }

    /** A connection as another gateway instance holds it: in a transaction, never waiting long on a lock. */
    private static Connection instanceConnection(TestDatabase db) throws SQLException {
        Connection c = db.database().dataSource().getConnection();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '5s'");
        }
        c.commit();
        return c;
    }

    /** Jobs due one second apart, oldest first; returns their refs in claim order. */
    private static List<String> enqueue(TestDatabase db, WorkQueue queue, int n) {
        List<String> refs = new ArrayList<>();
        List<Transactions.Work<Boolean>> units = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ref = String.format("job-%04d", i);
            refs.add(ref);
            NewJob job = new NewJob(WorkKind.PEER_ENVELOPE, ref, Lane.NORMAL, 1, T0.minusSeconds(n - i), T0.plus(LEASE));
            units.add(c -> queue.enqueue(c, job, T0));
        }
        assertThat(db.tx().writeAll(units)).allSatisfy(o -> assertThat(o.value()).isTrue());
        return refs;
    }
}
