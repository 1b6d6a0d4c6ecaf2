package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.puente.certs.IssuedCredential;
import org.puente.certs.SamplePki;
import org.puente.cli.agency.AgencyConnection;
import org.puente.engine.testing.SoftHsmToken;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;

/**
 * The US gateway runs with its four keys in a SoftHSM2 token (the MX gateway with its PKCS#12
 * file): messages flow both ways, receipted and delivered; then the US gateway's whole heap
 * (unreachable objects included) and its data folder are searched for its private keys, and
 * found clean, while the same search finds the MX gateway's signing key in the MX heap (so the
 * search itself works).
 */
class HsmGatewayTest {
    static final Duration WAIT = Duration.ofMinutes(2);
    static GatewayCluster cluster;
    static SamplePki pki;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(SoftHsmToken.unavailable().isEmpty(),
                () -> "PKCS#11 gateway test skipped: " + SoftHsmToken.unavailable().orElse(""));
        pki = SamplePki.generate();
        SoftHsmToken.create("puente-us", pki.us());
        cluster = GatewayCluster.start("hsm", 1, pki, Map.of(Country.US, Map.of(
                "puente.pki.pkcs11.library", SoftHsmToken.LIBRARY.toString(),
                "puente.pki.pkcs11.slot-index", "0")));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void messages_flow_both_ways_and_no_us_private_key_is_in_the_us_gateways_heap_or_files() throws Exception {
        GatewayCluster.Instance us = cluster.instance(Country.US, 1);
        GatewayCluster.Instance mx = cluster.instance(Country.MX, 1);
        String toMx = accepted(us.agency("CBP").submit(SampleMessages.named("cargo.manifest.us-to-mx.json")
                .orElseThrow().bytes(), "hsm-1"));
        String toUs = accepted(mx.agency("SAT").submit(SampleMessages.named("partnership.mra-status.mx-to-us.json")
                .orElseThrow().bytes(), "hsm-2"));

        assertThat(pulledAndAcknowledged(mx.agency("ANAM"), toMx)).as("signed in the token, opened by MX").isTrue();
        assertThat(pulledAndAcknowledged(us.agency("CBP"), toUs)).as("sealed by MX, opened by the token's ECDH").isTrue();
        assertThat(delivered(us.agency("CBP"), toMx)).as("MX's receipt and notice verified by the US gateway").isTrue();
        assertThat(delivered(mx.agency("SAT"), toUs)).as("the token-signed receipt and notice verified by MX").isTrue();

        List<byte[]> usKeys = scalars(pki.us().gatewaySigning(), pki.us().gatewayEncryption(), pki.us().gatewayTls(),
                pki.us().gatewayAudit());
        Path usHeap = heapDump(us);
        assertThat(containsAny(usHeap, usKeys)).as("a US private key in the US gateway's heap").isEmpty();
        for (Path file : filesUnder(us.layout.dataDir())) {
            assertThat(containsAny(file, usKeys)).as("a US private key in " + file).isEmpty();
        }
        // control: the same search finds the MX signing key in the heap of the MX gateway, which holds it in memory
        Path mxHeap = heapDump(mx);
        assertThat(containsAny(mxHeap, scalars(pki.mx().gatewaySigning()))).as("the search works").isPresent();
        Files.delete(usHeap);
        Files.delete(mxHeap);
    }

    private static String accepted(AgencyConnection.Answer answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        return answer.json().get("messageId").asText();
    }

    private static boolean pulledAndAcknowledged(AgencyConnection agency, String messageId) {
        return Channels.poll(WAIT, () -> {
            for (JsonNode m : agency.inbox(0, 100).json().path("messages")) {
                if (m.get("messageId").asText().equals(messageId)) {
                    return Optional.of(agency.acknowledge(messageId).status() == 200);
                }
            }
            return Optional.empty();
        }).orElse(false);
    }

    private static boolean delivered(AgencyConnection sender, String messageId) {
        return Channels.poll(WAIT, () -> {
            JsonNode status = sender.status(messageId).json();
            return "DELIVERED".equals(status.path("state").asText()) ? Optional.of(true) : Optional.empty();
        }).orElse(false);
    }

    /** The middle 16 bytes of each private scalar: immune to leading zeros and to how a BigInteger pads. */
    private static List<byte[]> scalars(IssuedCredential... credentials) {
        List<byte[]> out = new ArrayList<>();
        for (IssuedCredential c : credentials) {
            byte[] d = unsigned(((ECPrivateKey) c.key()).getS(), 32);
            out.add(Arrays.copyOfRange(d, 8, 24));
        }
        return out;
    }

    private static byte[] unsigned(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int n = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - n, out, length - n, n);
        return out;
    }

    /** HPROF writes primitive arrays big-endian, so a BigInteger's magnitude appears as its bytes. */
    private static Path heapDump(GatewayCluster.Instance instance) throws IOException, InterruptedException {
        Path file = cluster.work.resolve(instance.name() + "-heap.hprof");
        Files.deleteIfExists(file);
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(instance.process.pid()), "GC.heap_dump", "-all", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        assertThat(jcmd.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(jcmd.exitValue()).as(out).isZero();
        assertThat(file).exists();
        return file;
    }

    private static Optional<Integer> containsAny(Path file, List<byte[]> patterns) throws IOException {
        byte[] window = new byte[1 << 20];
        int overlap = 15;
        try (InputStream in = Files.newInputStream(file)) {
            int kept = 0;
            while (true) {
                int n = in.readNBytes(window, kept, window.length - kept);
                if (n <= 0) {
                    return Optional.empty();
                }
                int length = kept + n;
                for (int p = 0; p < patterns.size(); p++) {
                    if (indexOf(window, length, patterns.get(p)) >= 0) {
                        return Optional.of(p);
                    }
                }
                kept = Math.min(overlap, length);
                System.arraycopy(window, length - kept, window, 0, kept);
            }
        }
    }

    private static int indexOf(byte[] data, int length, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
