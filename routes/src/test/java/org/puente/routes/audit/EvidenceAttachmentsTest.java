package org.puente.routes.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.envelope.Fingerprints;
import org.puente.envelope.timestamp.SampleTimeStampAuthority;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;

/**
 * What an evidence bundle carries besides entries, proofs and signed statements: the RFC 3161
 * token of each checkpoint when the gateway's TSA stamped it (verify-evidence checks it — a TSA
 * under the own root, over exactly that checkpoint —, OpenSSL's {@code ts -verify} accepts it, a
 * token of another checkpoint is refused), and the signed daily reconciliation of the day the
 * message crossed (our report, the peer's answer confirming the message; swapped files refused).
 */
class EvidenceAttachmentsTest {
    @TempDir
    static Path dir;
    static GatewayPair gateways;
    static SampleTimeStampAuthority tsa;
    static GatewayHarness us;
    static Path bundle;

    @BeforeAll
    static void start() throws IOException {
        SamplePki pki = SamplePki.generate();
        tsa = WitnessFixtures.usTsa(pki);
        gateways = GatewayPair.start(dir, pki, Map.of("puente.audit.tsa-url", tsa.url().toString()), Map.of());
        us = gateways.us;
        AgencyClient cbp = gateways.agencyClient(us, "agency-cbp");
        String id = WitnessFixtures.sendAndWaitForReceipt(us, cbp);
        us.gateway().audit().checkpointAndWitness();
        WitnessFixtures.sendAndWaitForReceipt(us, cbp); // a second stamped checkpoint, whose token is swapped in below
        us.gateway().audit().checkpointAndWitness();
        // the day is reconciled with the peer (as the daily schedule does after midnight)
        us.gateway().audit().reconciliation().reconcile(java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        Path password = Files.writeString(dir.resolve("password"), new String(SamplePki.samplePassword()));
        bundle = dir.resolve("bundle");
        CommandRun made = CommandRun.puente("audit", "evidence", id, "--gateway", "https://localhost:" + us.ports().ops(),
                "--cert", gateways.pki.resolve("us/auditor.p12").toString(), "--ca", gateways.pki.resolve("us/root-ca.pem").toString(),
                "--password-file", password.toString(), "--out", bundle.toString(),
                "--trust", gateways.pki.resolve("us/root-ca.pem").toString(), "--peer-trust", gateways.pki.resolve("mx/root-ca.pem").toString());
        assertThat(made.exit()).as(made.toString()).isZero();
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
        if (tsa != null) {
            tsa.close();
        }
    }

    @Test
    void the_checkpoints_token_is_in_the_bundle_and_verified_by_puente_and_by_openssl() throws IOException {
        Path token = tokens().get(0);
        CommandRun verified = CommandRun.puente("audit", "verify-evidence", bundle.toString());
        assertThat(verified.exit()).as(verified.toString()).isZero();
        assertThat(verified.out()).containsPattern("ok time-stamp \\d+: checkpoint \\d+ existed at \\S+ \\(RFC 3161, CN=tsa.us.puente.sample");

        assumeTrue(CommandRun.available("openssl", "version"), "openssl is not installed");
        Path checkpoint = token.resolveSibling(token.getFileName().toString().replace(".tsr", ".p7s"));
        CommandRun r = CommandRun.process(dir, List.of("openssl", "ts", "-verify", "-digest",
                Fingerprints.hex(Fingerprints.sha256(Files.readAllBytes(checkpoint))), "-in", token.toString(), "-token_in",
                "-CAfile", bundle.resolve("trust/own/root-ca.pem").toString()));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Verification: OK");
    }

    @Test
    void a_token_of_another_checkpoint_is_refused() throws IOException {
        Path token = tokens().get(0);
        byte[] other = us.bytes("SELECT token FROM audit_timestamp ORDER BY seq DESC LIMIT 1");
        Path forged = copyWith("other-token", Map.of(bundle.relativize(token).toString(), other));
        CommandRun r = CommandRun.puente("audit", "verify-evidence", forged.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED: time-stamp").contains("not a token over that checkpoint").doesNotContain("VERIFIED");
    }

    @Test
    void the_days_signed_reconciliation_confirms_the_message_and_swapped_files_are_refused() throws IOException {
        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        CommandRun verified = CommandRun.puente("audit", "verify-evidence", bundle.toString());
        assertThat(verified.exit()).as(verified.toString()).isZero();
        assertThat(verified.out()).contains("ok reconciliation " + day + ".sent.1: gateway.us.puente.sample's report and"
                + " gateway.mx.puente.sample's answer are signed").contains("gateway.mx.puente.sample confirmed this message in sent");

        Path report = bundle.resolve("reconciliation/" + day + ".sent.1.report.p7s");
        Path answer = bundle.resolve("reconciliation/" + day + ".sent.1.answer.p7s");
        Path forged = copyWith("swapped", Map.of(bundle.relativize(report).toString(), Files.readAllBytes(answer),
                bundle.relativize(answer).toString(), Files.readAllBytes(report)));
        CommandRun r = CommandRun.puente("audit", "verify-evidence", forged.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED: reconciliation/" + day + ".sent.1.report.p7s: not a RECONCILIATION signed by"
                + " gateway.us.puente.sample").doesNotContain("VERIFIED");
    }

    /** A copy of the bundle with some files replaced and the manifest written again, as a forger would. */
    private static Path copyWith(String name, Map<String, byte[]> replaced) throws IOException {
        Path forged = BundleForgery.copy(bundle, dir.resolve(name));
        BundleForgery.rewrite(forged, replaced);
        return forged;
    }

    private static List<Path> tokens() throws IOException {
        try (Stream<Path> s = Files.list(bundle.resolve("checkpoints"))) {
            List<Path> tokens = s.filter(p -> p.toString().endsWith(".tsr")).sorted().toList();
            assertThat(tokens).as("a time-stamp token in the bundle").isNotEmpty();
            return tokens;
        }
    }
}
