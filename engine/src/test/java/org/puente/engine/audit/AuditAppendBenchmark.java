package org.puente.engine.audit;

import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.store.Jdbc;
import org.puente.engine.store.Database;
import org.puente.engine.store.Transactions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.puente.model.Country;

/**
 * Not a test: a measurement for docs/BENCHMARKS.md ("Audit log"). Units of work shaped like the
 * exchange's (a state row and two audit events) go through the real group-commit writer on the
 * embedded SQLite database, from many threads: once with the audit events inserted as plain rows
 * (into a table shaped as the log was before the chain), once through the hash-chained
 * {@link AuditLog}. The two alternate in one JVM so that both see the same machine.
 *
 * <p>Run: {@code java -cp <engine test classpath> org.puente.engine.audit.AuditAppendBenchmark [units] [rounds]}
 */
public final class AuditAppendBenchmark {
    /** The table as it was before the chain: the same columns without position, links or unique index. */
    private static final String PLAIN_TABLE = "CREATE TABLE audit_event_plain (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " at TEXT NOT NULL, country TEXT NOT NULL, event TEXT NOT NULL, message_id TEXT, correlation_id TEXT,"
            + " message_type TEXT, sender TEXT, receiver TEXT, legal_basis TEXT, purpose TEXT, sensitivity TEXT,"
            + " payload_sha256 TEXT, envelope_sha256 TEXT, actor TEXT, outcome TEXT NOT NULL, error_code TEXT, detail TEXT)";
    /** The state row of the unit (what OutboundLedger writes as the message's status). */
    private static final String STATUS = "INSERT INTO message_status (message_id, status, at) VALUES (?,?,?)";
    private static final String PLAIN = "INSERT INTO audit_event_plain (at, country, event, message_id, correlation_id,"
            + " message_type, sender, receiver, legal_basis, purpose, sensitivity, payload_sha256, envelope_sha256,"
            + " actor, outcome, error_code, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private AuditAppendBenchmark() {
    }

    @FunctionalInterface
    private interface Append {
        void append(java.sql.Connection c, AuditEvent e) throws java.sql.SQLException;
    }

    public static void main(String[] args) throws Exception {
        int units = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (int r = 0; r < rounds; r++) {
            for (boolean chained : new boolean[] {false, true}) {
                Path dir = Files.createTempDirectory("puente-bench-");
                try (Database db = Database.embedded(dir, 16); Transactions tx = new Transactions(db, 512)) {
                    Append append;
                    if (chained) {
                        AuditLog log = new AuditLog(Country.US, db.dialect());
                        tx.addParticipant(log);
                        append = log::append;
                    } else {
                        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
                            st.execute(PLAIN_TABLE);
                        }
                        append = AuditAppendBenchmark::plain;
                    }
                    run(tx, append, 2_000);
                    long cpuBefore = writerCpuNanos();
                    double perSecond = run(tx, append, units);
                    double cpuPerUnit = (writerCpuNanos() - cpuBefore) / 1000.0 / units;
                    System.out.printf("round %d %-8s %,8.0f units/s, writer thread %6.1f CPU µs per unit (%d units,"
                            + " 2 audit events each, 16 threads)%n", r + 1, chained ? "chained" : "plain", perSecond,
                            cpuPerUnit, units);
                }
            }
        }
    }

    /**
     * CPU time of the store's writer thread: every unit, the chaining and the sync run on it, so
     * this is the cost the chain adds where it could become the bottleneck, and other processes on
     * the machine distort it far less than wall-clock throughput.
     */
    private static long writerCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("puente-store-writer"))
                .mapToLong(t -> mx.getThreadCpuTime(t.getId())).sum();
    }

    private static void plain(java.sql.Connection c, AuditEvent e) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(PLAIN)) {
            Jdbc.bind(ps, e.at(), "US", e.event().name(), e.messageId(), e.correlationId(), e.messageType(), e.sender(),
                    e.receiver(), e.legalBasis(), e.purpose(), e.sensitivity(), e.payloadSha256(), e.envelopeSha256(),
                    e.actor(), e.outcome(), e.errorCode(), e.detail());
            ps.executeUpdate();
        }
    }

    private static double run(Transactions tx, Append append, int units) throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = units / threads;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < share; i++) {
                    UUID id = UUID.randomUUID();
                    Instant now = Instant.now();
                    tx.write(c -> {
                        try (PreparedStatement ps = c.prepareStatement(STATUS)) {
                            Jdbc.bind(ps, id, "ACCEPTED", now);
                            ps.executeUpdate();
                        }
                        append.append(c, event(AuditEventType.SENT, id, now));
                        append.append(c, event(AuditEventType.RECEIPTED, id, now));
                        return null;
                    });
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Future<?> f : done) {
            f.get(10, TimeUnit.MINUTES);
        }
        long nanos = System.nanoTime() - start;
        pool.shutdown();
        return units / (nanos / 1e9);
    }

    private static AuditEvent event(AuditEventType type, UUID id, Instant at) {
        return new AuditEvent(at, type, new AuditEvent.Subject(id, id.toString(), "cargo.manifest", "US/CBP", "MX/ANAM",
                "CMAA-2000", "advance-cargo-risk-assessment", "COMMERCIAL_CONFIDENTIAL"),
                new AuditEvent.Digests("ab".repeat(32), "cd".repeat(32)), "gateway.us.puente.sample", AuditEvent.Result.SUCCESS);
    }
}
