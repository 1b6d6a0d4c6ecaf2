package org.puente.routes.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.model.CanonicalJson;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * The evidence for one message (docs/audit.md, "Evidence for one message"), end to end with two
 * real gateways: {@code puente audit evidence} gathers it from the US auditor API after Mexico
 * cosigned the checkpoint, {@code verify-evidence}, OpenSSL and puente_proof.py accept it, and
 * each forgery is refused with its own first failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvidenceBundleTest {
    private static final String US = "gateway.us.puente.sample";
    private static final String MX = "gateway.mx.puente.sample";
    @TempDir
    static Path dir;
    static GatewayPair gateways;
    static GatewayHarness us;
    static AgencyClient cbp;
    static AgencyClient anam;
    static Path passwordFile;
    static String messageId;
    static Path bundle;

    @BeforeAll
    static void start() throws IOException {
        gateways = GatewayPair.start(dir);
        us = gateways.us;
        cbp = gateways.agencyClient(us, "agency-cbp");
        anam = gateways.agencyClient(gateways.mx, "agency-anam");
        passwordFile = Files.writeString(dir.resolve("password"), new String(SamplePki.samplePassword()));
        messageId = sendAndWaitForDeliveryNotice();
        us.gateway().audit().checkpointAndWitness();
        bundle = dir.resolve("bundle");
        CommandRun made = evidence(messageId, bundle);
        assertThat(made.exit()).as(made.toString()).isZero();
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
    }

    @Test
    @Order(1)
    void the_bundle_of_a_delivered_message_holds_every_file_and_verifies_offline() throws IOException {
        for (String f : List.of("entries.jsonl", "receipt.p7s", "delivery-notice.p7s", "README.md", "manifest.json",
                "trust/own/root-ca.pem", "trust/peer/root-ca.pem")) {
            assertThat(bundle.resolve(f)).as(f).isRegularFile();
        }
        assertThat(bundle.resolve("our-receipt.p7s")).as("US received nothing for this message").doesNotExist();
        List<String> entries = Files.readAllLines(bundle.resolve("entries.jsonl"));
        assertThat(entries).hasSize(5);
        assertThat(proofs()).hasSize(5);
        assertThat(checkpoints()).isNotEmpty();
        assertThat(Files.readString(bundle.resolve("README.md"))).contains("puente audit verify-evidence", "openssl cms -verify",
                "puente_proof.py inclusion");

        CommandRun verified = verify(bundle);
        assertThat(verified.exit()).as(verified.toString()).isZero();
        assertThat(verified.out()).contains("ok manifest:", "ok entry ", "ok checkpoint ", "ok cosignature ", "ok proof of entry ",
                "ok receipt.p7s: signed by " + MX, "ok delivery notice: signed by " + MX,
                "VERIFIED: the " + US + " entries of message " + messageId);
        assertThat(verified.out().lines().filter(l -> l.startsWith("ok ")).count()).isEqualTo(1 + 5 + 2L * checkpoints().size() + 5 + 2);
    }

    @Test
    @Order(2)
    void openssl_accepts_the_receipt_the_delivery_notice_the_checkpoints_and_the_cosignatures() throws Exception {
        assumeTrue(CommandRun.available("openssl", "version"), "openssl is not installed");
        Path usRoot = gateways.pki.resolve("us/root-ca.pem");
        Path mxRoot = gateways.pki.resolve("mx/root-ca.pem");
        assertThat(cmsVerify(bundle.resolve("receipt.p7s"), mxRoot)).contains("\"messageId\":\"" + messageId + "\"");
        assertThat(cmsVerify(bundle.resolve("delivery-notice.p7s"), mxRoot)).contains("\"messageId\":\"" + messageId + "\"");
        for (long size : checkpoints()) {
            assertThat(cmsVerify(bundle.resolve("checkpoints/" + size + ".p7s"), usRoot)).contains("\"seq\":" + size);
            assertThat(cmsVerify(bundle.resolve("checkpoints/" + size + ".cosignature.p7s"), mxRoot))
                    .contains("\"treeSize\":" + size, "\"origin\":\"" + US + "\"");
        }
    }

    @Test
    @Order(3)
    void puente_proof_py_accepts_every_inclusion_proof() throws Exception {
        assumeTrue(CommandRun.available("python3", "--version"), "python3 is not installed");
        Path tool = Path.of(System.getProperty("puente.home", ".."), "docs/tools/puente_proof.py").toAbsolutePath();
        for (Path proof : proofs()) {
            CommandRun r = CommandRun.process(dir, List.of("python3", tool.toString(), "inclusion", proof.toString()));
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("OK");
        }
    }

    @Test
    @Order(4)
    void an_entry_field_changed_in_entries_jsonl_is_refused() throws IOException {
        Path forged = copy("changed-entry");
        String entries = Files.readString(forged.resolve("entries.jsonl"));
        assertThat(entries).contains("\"sender\":\"US/CBP\"");
        rewrite(forged, "entries.jsonl", entries.replaceFirst("\"sender\":\"US/CBP\"", "\"sender\":\"US/ICE\"")
                .getBytes(StandardCharsets.UTF_8));
        long first = CanonicalJson.mapper().readTree(entries.lines().findFirst().orElseThrow()).get("seq").asLong();
        assertRefused(forged, "FAILED: entry " + first + ": its hash does not recompute from its fields");
    }

    @Test
    @Order(5)
    void a_flipped_proof_path_element_is_refused() throws IOException {
        Path forged = copy("flipped-path");
        Path proof = proofs().stream().filter(p -> json(p).get("path").size() > 0).findFirst().orElseThrow();
        ObjectNode n = (ObjectNode) json(proof);
        String element = n.get("path").get(0).asText();
        ((ArrayNode) n.get("path")).set(0, (element.charAt(0) == '0' ? "1" : "0") + element.substring(1));
        String name = "proofs/" + proof.getFileName();
        rewrite(forged, name, CanonicalJson.bytes(n));
        assertRefused(forged, "FAILED: proof of entry " + n.get("seq").asLong() + ": does not lead to the root of checkpoint "
                + n.get("treeSize").asLong());
    }

    @Test
    @Order(6)
    void a_cosignature_replaced_by_the_checkpoint_is_refused() throws IOException {
        Path forged = copy("cosignature-replaced");
        long size = checkpoints().get(0);
        rewrite(forged, "checkpoints/" + size + ".cosignature.p7s", Files.readAllBytes(forged.resolve("checkpoints/" + size + ".p7s")));
        assertRefused(forged, "FAILED: cosignature " + size + " (checkpoints/" + size + ".cosignature.p7s): not a cosignature by "
                + MX + "'s audit key under the peer root: envelope_unreadable");
    }

    @Test
    @Order(7)
    void a_checkpoint_from_another_bundle_is_refused() throws IOException {
        String later = sendAndWaitForDeliveryNotice();
        us.gateway().audit().checkpointAndWitness();
        Path other = dir.resolve("bundle-later");
        CommandRun made = evidence(later, other);
        assertThat(made.exit()).as(made.toString()).isZero();
        long size = checkpoints().get(0);
        long otherSize = sizes(other).get(sizes(other).size() - 1);
        assertThat(otherSize).isGreaterThan(size);

        Path forged = copy("other-checkpoint");
        rewrite(forged, "checkpoints/" + size + ".p7s", Files.readAllBytes(other.resolve("checkpoints/" + otherSize + ".p7s")));
        assertRefused(forged, "FAILED: checkpoint " + size + " (checkpoints/" + size + ".p7s): signed by " + US
                + " for tree size " + otherSize);
    }

    @Test
    @Order(8)
    void a_file_that_does_not_match_its_manifest_digest_is_refused() throws IOException {
        Path forged = copy("manifest-mismatch");
        Files.write(forged.resolve("receipt.p7s"), new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        assertRefused(forged, "FAILED: manifest: SHA-256 of receipt.p7s is ");
    }

    @Test
    @Order(9)
    void the_roots_of_another_pki_refuse_the_checkpoints() throws IOException {
        Path otherPki = dir.resolve("other-pki");
        SamplePki.generate().writeTo(otherPki, SamplePki.samplePassword());
        CommandRun r = CommandRun.puente("audit", "verify-evidence", bundle.toString(),
                "--trust", otherPki.resolve("us/root-ca.pem").toString(),
                "--peer-trust", gateways.pki.resolve("mx/root-ca.pem").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED: checkpoint " + checkpoints().get(0) + " (checkpoints/" + checkpoints().get(0)
                + ".p7s): not a checkpoint signed by " + US + "'s audit key under the own root");
    }

    @Test
    @Order(10)
    void a_message_not_yet_witnessed_by_the_peer_is_refused_with_a_retry_hint() {
        String fresh = sendAndWaitForDeliveryNotice();
        Path out = dir.resolve("bundle-too-early");
        CommandRun r = evidence(fresh, out);
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("of message " + fresh + " is not yet witnessed by the peer; retry after the next checkpoint");
    }

    // --- helpers

    private static String sendAndWaitForDeliveryNotice() {
        byte[] document = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        HttpResponse<byte[]> accepted = cbp.post("/api/v1/messages", document);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = json(accepted.body()).get("messageId").asText();
        assertThat(Poll.until(Duration.ofSeconds(20), () -> anam.get("/api/v1/inbox/" + id + "/payload").statusCode() == 200
                ? Optional.of(true) : Optional.empty())).isPresent();
        assertThat(anam.post("/api/v1/inbox/" + id + "/ack", new byte[0]).statusCode()).isEqualTo(200);
        assertThat(Poll.until(Duration.ofSeconds(20), () -> us.count("SELECT COUNT(*) FROM audit_event WHERE event = 'NOTICE_RECEIVED'"
                + " AND message_id = ?", id) == 1 ? Optional.of(true) : Optional.empty())).isPresent();
        return id;
    }

    private static CommandRun evidence(String id, Path out) {
        return CommandRun.puente("audit", "evidence", id, "--gateway", "https://localhost:" + us.ports().ops(),
                "--cert", gateways.pki.resolve("us/auditor.p12").toString(), "--ca", gateways.pki.resolve("us/root-ca.pem").toString(),
                "--password-file", passwordFile.toString(), "--out", out.toString(),
                "--trust", gateways.pki.resolve("us/root-ca.pem").toString(), "--peer-trust", gateways.pki.resolve("mx/root-ca.pem").toString());
    }

    private static CommandRun verify(Path bundleDir) {
        return CommandRun.puente("audit", "verify-evidence", bundleDir.toString());
    }

    private static void assertRefused(Path forged, String failure) {
        CommandRun r = verify(forged);
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains(failure).doesNotContain("VERIFIED");
    }

    /** Replaces a file of a bundle and its manifest digest, as a forger would (the manifest is not signed). */
    private static void rewrite(Path bundleDir, String file, byte[] content) throws IOException {
        BundleForgery.rewrite(bundleDir, java.util.Map.of(file, content));
    }

    private static Path copy(String name) throws IOException {
        return BundleForgery.copy(bundle, dir.resolve(name));
    }

    private static List<Path> proofs() throws IOException {
        try (Stream<Path> s = Files.list(bundle.resolve("proofs"))) {
            return s.sorted().toList();
        }
    }

    private static List<Long> checkpoints() throws IOException {
        return sizes(bundle);
    }

    private static List<Long> sizes(Path bundleDir) throws IOException {
        try (Stream<Path> s = Files.list(bundleDir.resolve("checkpoints"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]+\\.p7s"))
                    .map(n -> Long.parseLong(n.substring(0, n.length() - 4))).sorted().toList();
        }
    }

    private static String cmsVerify(Path cms, Path root) {
        CommandRun r = CommandRun.process(dir, List.of("openssl", "cms", "-verify", "-inform", "DER", "-in", cms.toString(), "-CAfile", root.toString(),
                "-purpose", "any"));
        assertThat(r.exit()).as(cms + ": " + r).isZero();
        assertThat(r.err()).contains("Verification successful");
        return r.out();
    }

    private static JsonNode json(Path file) {
        try {
            return json(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            return CanonicalJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
