package org.puente.engine.store;

import org.puente.audit.store.Dialect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.store.StoreFixtures.ANAM;
import static org.puente.engine.store.StoreFixtures.CBP;
import static org.puente.engine.store.StoreFixtures.T0;
import static org.puente.engine.store.StoreFixtures.header;
import static org.puente.engine.store.StoreFixtures.outbound;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.puente.model.Priority;
import org.puente.engine.testing.TestDatabase;

/**
 * Several gateway instances share one PostgreSQL database and claim from the same outbox: each
 * instance claims in its own transaction, and {@code FOR UPDATE SKIP LOCKED} must keep any message
 * from being claimed twice.
 */
class PostgresClaimTest {
    private static final Duration LEASE = Duration.ofMinutes(2);

    @Test
    void two_instances_claiming_at_the_same_time_get_different_messages_and_neither_waits() throws Exception {
        try (TestDatabase db = new TestDatabase(TestDatabase.Kind.POSTGRESQL)) {
            OutboxStore outbox = new OutboxStore(db.database().dialect());
            assertThat(db.database().dialect()).isEqualTo(Dialect.POSTGRESQL);
            List<UUID> all = insert(db, outbox, 8);

            try (Connection one = instanceConnection(db); Connection two = instanceConnection(db)) {
                List<UUID> claimedByOne = ids(outbox.claimDue(one, T0, 3, "instance-1", T0.plus(LEASE)));
                // instance 1 has not committed: its rows are locked, and instance 2 must skip them, not wait
                List<UUID> claimedByTwo = ids(outbox.claimDue(two, T0, 3, "instance-2", T0.plus(LEASE)));
                one.commit();
                two.commit();

                assertThat(claimedByOne).hasSize(3).isEqualTo(all.subList(0, 3));
                assertThat(claimedByTwo).hasSize(3).doesNotContainAnyElementsOf(claimedByOne).isEqualTo(all.subList(3, 6));
                List<UUID> rest = ids(outbox.claimDue(one, T0, 10, "instance-1", T0.plus(LEASE)));
                one.commit();
                assertThat(rest).containsExactlyElementsOf(all.subList(6, 8));
            }
        }
    }

    @Test
    void instances_racing_for_a_full_outbox_claim_every_message_exactly_once() throws Exception {
        int messages = 300;
        int instances = 4;
        try (TestDatabase db = new TestDatabase(TestDatabase.Kind.POSTGRESQL)) {
            OutboxStore outbox = new OutboxStore(db.database().dialect());
            List<UUID> all = insert(db, outbox, messages);
            CyclicBarrier start = new CyclicBarrier(instances);
            ExecutorService pool = Executors.newFixedThreadPool(instances);
            List<Future<List<UUID>>> claims = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                String owner = "instance-" + i;
                claims.add(pool.submit(() -> {
                    List<UUID> mine = new ArrayList<>();
                    try (Connection c = instanceConnection(db)) {
                        start.await(10, TimeUnit.SECONDS);
                        while (true) {
                            List<OutboxEntry> batch = outbox.claimDue(c, T0, 7, owner, T0.plus(LEASE));
                            c.commit();
                            if (batch.isEmpty()) {
                                return mine;
                            }
                            mine.addAll(ids(batch));
                        }
                    }
                }));
            }
            List<UUID> claimed = new ArrayList<>();
            List<Integer> perInstance = new ArrayList<>();
            for (Future<List<UUID>> f : claims) {
                List<UUID> mine = f.get(60, TimeUnit.SECONDS);
                perInstance.add(mine.size());
                claimed.addAll(mine);
            }
            pool.shutdown();

            assertThat(claimed).doesNotHaveDuplicates().hasSize(messages);
            assertThat(new HashSet<>(claimed)).isEqualTo(new HashSet<>(all));
            assertThat(Collections.max(perInstance)).as("one instance did not take everything").isLessThan(messages);
        }
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

    private static List<UUID> insert(TestDatabase db, OutboxStore outbox, int n) {
        List<UUID> ids = new ArrayList<>();
        List<Transactions.Work<Void>> inserts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var h = header(UUID.randomUUID(), CBP, ANAM, Priority.NORMAL, T0.minusSeconds(n - i));
            ids.add(h.messageId());
            inserts.add(c -> {
                outbox.insert(c, outbound(h, null), h.createdAt());
                return null;
            });
        }
        assertThat(db.tx().writeAll(inserts)).allSatisfy(o -> assertThat(o.failure()).isNull());
        return ids;
    }

    private static List<UUID> ids(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::messageId).toList();
    }
}
