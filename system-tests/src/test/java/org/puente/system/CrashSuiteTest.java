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
 * <p>The default build kills {@code puente.crash.kills} times per database (8); the
 * {@code crash-suite} Maven profile runs 100 per database and writes the figures to
 * {@code target/crash-suite-<db>.json} (docs/BENCHMARKS.md, "Reliability").
 */
class CrashSuiteTest {
    static final int KILLS = Integer.getInteger("puente.crash.kills", 8);

    @ParameterizedTest(name = "on {0}")
    @EnumSource(SystemExchange.Store.class)
    void no_promise_is_broken_by_sigkill_at_any_instant(SystemExchange.Store store) throws Exception {
        CrashFindings findings;
        long seed = Long.getLong("puente.crash.seed", System.nanoTime());
        System.out.printf("crash suite on %s: %d kills, seed %d%n", store, KILLS, seed);
        try (CrashRig rig = new CrashRig("crash-suite-" + store.name().toLowerCase(), store, seed).load(4)) {
            for (int k = 0; k < KILLS; k++) {
                // every moment comes up in order first, then at random
                CrashRig.Moment m = k < CrashRig.Moment.values().length ? CrashRig.Moment.values()[k] : rig.anyMoment();
                rig.kill(m, Duration.ofSeconds(10));
                CrashRig.pause(300);
            }
            boolean drained = rig.drain(Duration.ofMinutes(3));
            boolean noticed = drained && rig.awaitNotices(Duration.ofMinutes(2));
            findings = CrashFindings.of(rig);
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
        assertThat((Integer) findings.figures.get("kills")).isEqualTo(KILLS);
    }
}
