package org.puente.engine.audit;

import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.AuditHash;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.Dialect;
import org.puente.audit.store.Jdbc;
import org.puente.audit.verify.ChainBreak;
import org.puente.audit.verify.ChainReport;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.store.Transactions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.count;
import static org.puente.engine.testing.StoreFixtures.header;
import static org.puente.engine.testing.StoreFixtures.outbound;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.puente.engine.testing.TestPayloads;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

/**
 * The audit log is one gapless hash chain whatever the writers do: groups, units rolled back,
 * many threads of one gateway, and two gateway instances sharing one PostgreSQL database.
 */
class AuditChainTest {
    private final AuditStore store = new AuditStore();

    @OnBothDatabases
    void events_of_one_group_are_chained_in_order_from_the_genesis_hash_and_move_the_head(TestDatabase db) {
        AuditLog audit = registered(db, Country.US);
        EnvelopeHeader h = header(Priority.NORMAL, T0);

        db.tx().write(c -> {
            audit.append(c, AuditEvent.of(AuditEventType.SUBMITTED, h, T0.plusNanos(123_456_789), "CN=CBP agency system"));
            audit.append(c, AuditEvent.of(AuditEventType.SEALED, h, T0.plusSeconds(1), "gateway.us.puente.sample"));
            audit.append(c, AuditEvent.action(AuditEventType.ROUTE_SUSPENDED, T0.plusSeconds(2), "CN=US operator", "MX"));
            return null;
        });

        List<AuditEntry> chain = all(db);
        assertThat(chain).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(chain.get(0).prevHash()).isEqualTo(AuditHash.GENESIS);
        assertThat(chain.get(1).prevHash()).isEqualTo(chain.get(0).hash());
        assertThat(chain.get(2).prevHash()).isEqualTo(chain.get(1).hash());
        chain.forEach(e -> assertThat(e.recomputedHash()).isEqualTo(e.hash()));
        assertThat(chain.get(0).event().at()).as("stored and hashed at microseconds").isEqualTo(T0.plusNanos(123_456_000));
        assertThat(db.tx().read(store::head)).isEqualTo(new AuditStore.Head(3, chain.get(2).hash()));
    }

    @OnBothDatabases
    void a_unit_rolled_back_takes_its_events_with_it_and_leaves_no_gap(TestDatabase db) {
        AuditLog audit = registered(db, Country.MX);
        List<Transactions.Work<Integer>> units = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            units.add(c -> {
                audit.append(c, AuditEvent.action(AuditEventType.MESSAGE_REDRIVEN, T0, "CN=MX operator", "unit " + n));
                if (n == 2) {
                    throw new PuenteException(ErrorCode.NOT_FOUND, "message", "unit 2");
                }
                return n;
            });
        }

        List<Transactions.Outcome<Integer>> outcomes = db.tx().writeAll(units);

        assertThat(outcomes.get(2).failure().errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
        List<AuditEntry> chain = all(db);
        assertThat(chain).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(chain).extracting(e -> e.event().detail()).containsExactly("unit 0", "unit 1", "unit 3", "unit 4");
        assertLinked(chain);
    }

    @OnBothDatabases
    void an_event_that_does_not_fit_its_column_fails_its_own_unit_and_its_state_change_only(TestDatabase db) {
        AuditLog audit = registered(db, Country.US);
        OutboxStore outbox = TestPayloads.outbox();
        EnvelopeHeader good = header(Priority.NORMAL, T0);
        EnvelopeHeader bad = header(Priority.NORMAL, T0);
        List<Transactions.Work<Void>> units = List.of(
                c -> {
                    outbox.insert(c, outbound(bad, null), T0);
                    audit.append(c, AuditEvent.of(AuditEventType.SUBMITTED, bad, T0, "x".repeat(401)));
                    return null;
                },
                c -> {
                    outbox.insert(c, outbound(good, null), T0);
                    audit.append(c, AuditEvent.of(AuditEventType.SUBMITTED, good, T0, "CN=CBP agency system"));
                    return null;
                });

        List<Transactions.Outcome<Void>> outcomes = db.tx().writeAll(units);

        assertThat(outcomes.get(0).failure().errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(outcomes.get(1).failure()).isNull();
        long outboxRows = db.tx().read(c -> count(c, "SELECT COUNT(*) FROM outbox"));
        assertThat(outboxRows).isEqualTo(1);
        assertThat(all(db)).singleElement().satisfies(e -> assertThat(e.event().messageId()).isEqualTo(good.messageId()));
    }

    @OnBothDatabases
    void many_threads_of_one_gateway_build_one_gapless_chain(TestDatabase db) throws Exception {
        AuditLog audit = registered(db, Country.US);
        int written = hammer(List.of(db.tx()), List.of(audit), 8, 100);

        List<AuditEntry> chain = all(db);
        assertThat(chain).hasSize(written);
        assertLinked(chain);
    }

    @Test
    void two_gateway_instances_sharing_postgresql_append_to_one_chain_without_gaps_forks_or_failures() throws Exception {
        try (TestDatabase db = new TestDatabase(TestDatabase.Kind.POSTGRESQL);
             Transactions one = new Transactions(db.database(), 512);
             Transactions two = new Transactions(db.database(), 512)) {
            // two writers with their own connections and transactions: what two JVMs do, seen from the database
            AuditLog first = registered(one, Country.US, Dialect.POSTGRESQL);
            AuditLog second = registered(two, Country.US, Dialect.POSTGRESQL);

            int written = hammer(List.of(one, two), List.of(first, second), 6, 150);

            List<AuditEntry> chain = all(db);
            assertThat(chain).hasSize(written);
            assertThat(chain.get(chain.size() - 1).seq()).isEqualTo(written);
            assertLinked(chain);
            assertThat(chain).extracting(e -> e.event().actor()).contains("instance 0", "instance 1");
            assertThat(db.tx().read(store::head).seq()).isEqualTo(written);
        }
    }

    @OnBothDatabases
    void an_event_appended_outside_the_writer_is_chained_at_once_after_the_head(TestDatabase db) throws Exception {
        AuditLog audit = registered(db, Country.MX);
        db.tx().write(c -> {
            audit.append(c, AuditEvent.action(AuditEventType.CRLS_RELOADED, T0, "CN=MX operator", "4 CRLs"));
            return null;
        });
        try (Connection c = db.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            audit.append(c, AuditEvent.action(AuditEventType.EXPORT_MADE, T0, "CN=MX auditor", "outside"));
            c.commit();
        }

        List<AuditEntry> chain = all(db);
        assertThat(chain).extracting(AuditEntry::seq).containsExactly(1L, 2L);
        assertLinked(chain);
    }

    @OnBothDatabases
    void a_row_inserted_behind_the_gateways_back_stays_out_of_the_chain_and_the_verifier_reports_it_outside_the_chain(
            TestDatabase db) throws Exception {
        AuditLog audit = registered(db, Country.US);
        db.tx().write(c -> {
            audit.append(c, AuditEvent.action(AuditEventType.CRLS_RELOADED, T0, "CN=US operator", "before"));
            return null;
        });
        // what start-up chaining used to adopt: a row with no position, written around the log (past
        // the database's own refusal of such rows, which only the file's or the schema's owner can get by)
        AuditFixtures.tamper(db, "INSERT INTO audit_event (at, country, event, actor, outcome, detail) VALUES ('"
                + Jdbc.time(T0.plusSeconds(1)) + "', 'US', 'SUBMITTED', 'CN=someone else', 'OK', 'smuggled')");

        db.tx().write(c -> {
            audit.append(c, AuditEvent.action(AuditEventType.CRLS_RELOADED, T0.plusSeconds(2), "CN=US operator", "after"));
            return null;
        });
        db.reopen();
        AuditLog restarted = registered(db, Country.US);
        db.tx().write(c -> {
            restarted.append(c, AuditEvent.action(AuditEventType.CRLS_RELOADED, T0.plusSeconds(3), "CN=US operator", "restarted"));
            return null;
        });

        List<AuditEntry> chain = all(db);
        assertThat(chain).extracting(e -> e.event().detail()).containsExactly("before", "after", "restarted");
        assertLinked(chain);
        long unchained = db.tx().read(store::unchained);
        assertThat(unchained).as("the smuggled row has no position").isEqualTo(1);
        long untouched = db.tx().read(c -> count(c, "SELECT COUNT(*) FROM audit_event WHERE detail = 'smuggled'"
                + " AND seq IS NULL AND prev_hash IS NULL AND hash IS NULL"));
        assertThat(untouched).as("a restart adopts nothing").isEqualTo(1);
        assertThat(db.tx().read(store::head).seq()).isEqualTo(3);
        long smuggledId = db.tx().read(c -> count(c, "SELECT id FROM audit_event WHERE detail = 'smuggled'"));
        ChainReport report;
        try (Connection c = db.connection()) {
            // judged shortly after the entries: no checkpoint is overdue yet, so the smuggled row is what is reported
            report = AuditFixtures.verificationAt(T0.plusSeconds(60)).verifyLive(c, null);
        }
        assertThat(report.intact()).isFalse();
        assertThat(report.firstBreak()).as(report.toString()).get().satisfies(b -> {
            assertThat(b.kind()).isEqualTo(ChainBreak.Kind.OUTSIDE_THE_CHAIN);
            assertThat(b.seq()).as("reported after the head").isEqualTo(4);
            assertThat(b.detail()).startsWith("1 row(s) of the audit table have no chain position (row ids ["
                    + smuggledId + "])");
        });
    }

    /** Writers on every transactions object at once; returns how many events were written (all must succeed). */
    private static int hammer(List<Transactions> writers, List<AuditLog> logs, int threadsEach, int unitsEach) throws Exception {
        int threads = threadsEach * writers.size();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int w = t % writers.size();
            Transactions tx = writers.get(w);
            AuditLog audit = logs.get(w);
            results.add(pool.submit(() -> {
                go.await();
                int events = 0;
                for (int i = 0; i < unitsEach; i++) {
                    EnvelopeHeader h = header(Priority.NORMAL, T0);
                    int n = 1 + i % 2;
                    tx.write(c -> {
                        for (int k = 0; k < n; k++) {
                            audit.append(c, AuditEvent.of(AuditEventType.STORED, h, T0, "instance " + w));
                        }
                        return null;
                    });
                    events += n;
                }
                return events;
            }));
        }
        go.countDown();
        int written = 0;
        for (Future<Integer> f : results) {
            written += f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return written;
    }

    private static AuditLog registered(TestDatabase db, Country country) {
        return registered(db.tx(), country, db.database().dialect());
    }

    static AuditLog registered(Transactions tx, Country country, Dialect dialect) {
        AuditLog audit = new AuditLog(country, dialect);
        tx.addParticipant(audit);
        return audit;
    }

    private List<AuditEntry> all(TestDatabase db) {
        List<AuditEntry> out = new ArrayList<>();
        db.tx().read(c -> {
            store.walk(c, 1, Long.MAX_VALUE, out::add);
            return null;
        });
        return out;
    }

    private static void assertLinked(List<AuditEntry> chain) {
        String prev = AuditHash.GENESIS;
        for (int i = 0; i < chain.size(); i++) {
            AuditEntry e = chain.get(i);
            assertThat(e.seq()).isEqualTo(i + 1);
            assertThat(e.prevHash()).as("link of " + e.seq()).isEqualTo(prev);
            assertThat(e.recomputedHash()).as("hash of " + e.seq()).isEqualTo(e.hash());
            prev = e.hash();
        }
    }
}
