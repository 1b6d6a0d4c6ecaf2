package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.puente.model.CanonicalJson;

/**
 * The crash suite: both gateways under load while either is killed with SIGKILL, again and again,
 * at random moments and at the worst instants ({@link CrashRig.Moment}), on the embedded SQLite
 * database and on PostgreSQL. Afterwards nothing accepted is lost, nothing is duplicated, every
 * receipt is backed by the receiver's row, no idempotency key became two messages, every
 * acknowledgement came back as a kept delivery notice, and both audit logs verify and reconcile.
 *
 * <p>The default build kills 5 times on SQLite and 3 times on PostgreSQL, so that each of the eight
 * moments comes up once per build; {@code -Dpuente.crash.kills=N} kills N times per database, and
 * the {@code crash-suite} Maven profile runs 100 per database. The figures go to
 * {@code target/crash-suite-<db>.json} (docs/BENCHMARKS.md, "Reliability").
 */
class CrashSuiteTest {
    static final Integer KILLS = Integer.getInteger("puente.crash.kills");

    @ParameterizedTest(name = "on {0}")
    @EnumSource(SystemExchange.Store.class)
    void no_promise_is_broken_by_sigkill_at_any_instant(SystemExchange.Store store) throws Exception {
        CrashFindings findings;
        long seed = Long.getLong("puente.crash.seed", System.nanoTime());
        int kills = KILLS != null ? KILLS : store == SystemExchange.Store.SQLITE ? 5 : 3;
        int first = store == SystemExchange.Store.SQLITE ? 0 : 5;
        int moments = CrashRig.Moment.values().length;
        System.out.printf("crash suite on %s: %d kills, seed %d%n", store, kills, seed);
        long t0 = System.nanoTime();
        try (CrashRig rig = new CrashRig("crash-suite-" + store.name().toLowerCase(), store, seed).load(KILLS != null ? 4 : 2)) {
            long started = System.nanoTime();
            for (int k = 0; k < kills; k++) {
                // every moment comes up in order first (the two databases start at different ones), then at random
                CrashRig.Moment m = k < moments ? CrashRig.Moment.values()[(first + k) % moments] : rig.anyMoment();
                rig.kill(m, Duration.ofSeconds(10));
                CrashRig.pause(300);
            }
            // after many kills the sender's backoff has grown and the backlog is large: the wait grows with the kills
            // (a 100-kill SQLite run had 21,643 accepted and 1,760 acknowledgements still to come after 3 minutes)
            Duration wait = Duration.ofMinutes(3).plusSeconds(6L * kills);
            long killed = System.nanoTime();
            boolean drained = rig.drain(wait);
            long drainedAt = System.nanoTime();
            boolean noticed = drained && rig.awaitNotices(wait);
            long noticedAt = System.nanoTime();
            findings = CrashFindings.of(rig);
            // where the run's time went (the default build's budget)
            findings.figures.put("seconds", java.util.Map.of("start", seconds(t0, started), "kills", seconds(started, killed),
                    "drain", seconds(killed, drainedAt), "notices", seconds(drainedAt, noticedAt),
                    "findings", seconds(noticedAt, System.nanoTime())));
            findings.figures.put("drained", drained);
            findings.figures.put("noticed", noticed);
            if (!drained) {
                findings.figures.put("notAcknowledged", findings.pending(rig));
            }
        }
        System.out.println("crash suite findings: " + findings);
        Path report = Path.of("target", "crash-suite-" + store.name().toLowerCase() + ".json");
        Files.createDirectories(report.getParent());
        Files.write(report, CanonicalJson.bytes(findings.figures));
        assertThat(findings.lost).as("accepted with 202 but not in the receiving mailbox").isEmpty();
        assertThat(findings.figures.get("drained")).as("ANAM acknowledged every accepted message").isEqualTo(true);
        assertThat(findings.figures.get("noticed")).as("every acknowledgement came back as a notice").isEqualTo(true);
        assertThat(findings.duplicated).as("duplicated in a mailbox").isEmpty();
        assertThat(findings.receiptsWithoutRow).as("receipts the receiver does not back").isEmpty();
        assertThat(findings.keyProblems).as("idempotency keys").isEmpty();
        assertThat(findings.noticeProblems).as("delivery notices").isEmpty();
        assertThat(findings.auditProblems).as("audit chains and reconciliation").isEmpty();
        assertThat((Integer) findings.figures.get("kills")).isEqualTo(kills);
        assertThat(findings.figures.get("namesNotTaken")).as("restarts that waited for their predecessor's leases").isEqualTo(0);
    }

    private static long seconds(long fromNanos, long toNanos) {
        return Math.round((toNanos - fromNanos) / 1e9);
    }
}
