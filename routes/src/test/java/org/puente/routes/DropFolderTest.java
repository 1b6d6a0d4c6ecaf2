package org.puente.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.CanonicalJson;
import org.puente.model.samples.SampleMessages;
import org.puente.model.submission.SubmissionParser;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * The drop folders with two gateways in one JVM: files renamed into an inbound folder (or
 * announced by a done-file) are submitted as the folder's agency and filed with a receipt or a
 * reason; received messages appear as files in the receiving agency's outbound folder (queue
 * work; the MX database records each as handed over via DROP) and are acknowledged by deleting
 * them; unsafe, oversized and mis-encoded files are refused with a reason.
 */
class DropFolderTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static GatewayPair gateways;
    static GatewayHarness us;
    static GatewayHarness mx;
    static AgencyClient cbpRest;
    static Path cbpIn;
    static Path iceIn;
    static Path anamOut;
    static Path iceOut;
    static Path satOut;

    @BeforeAll
    static void start() {
        cbpIn = dir.resolve("drop/cbp-in");
        iceIn = dir.resolve("drop/ice-in");
        anamOut = dir.resolve("drop/anam-out");
        iceOut = dir.resolve("drop/ice-out");
        satOut = dir.resolve("drop/sat-out");
        gateways = GatewayPair.start(dir, Map.of(
                "puente.client.cbp.drop.inbound", cbpIn.toString(),
                "puente.client.ice-hsi.drop.inbound", iceIn.toString(),
                "puente.client.ice-hsi.drop.done-files", "true",
                "puente.client.ice-hsi.drop.language", "es",
                "puente.client.ice-hsi.drop.outbound", iceOut.toString(),
                "puente.drop.poll-interval", "PT0.2S",
                "puente.limits.max-payload-bytes", "65536"), Map.of(
                "puente.client.anam.drop.outbound", anamOut.toString(),
                "puente.client.sat.drop.outbound", satOut.toString(),
                "puente.drop.poll-interval", "PT0.2S"));
        us = gateways.us;
        mx = gateways.mx;
        cbpRest = gateways.agencyClient(us, "agency-cbp");
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
    }

    @Test
    void a_renamed_file_is_submitted_filed_with_its_receipt_and_lands_in_the_receivers_outbound_folder() throws Exception {
        byte[] document = sample("cargo.manifest.us-to-mx.json");
        Path tmp = cbpIn.resolve("trip-0001.json.tmp");
        Files.write(tmp, document);
        Files.move(tmp, cbpIn.resolve("trip-0001.json"));

        JsonNode receipt = json(filed(cbpIn.resolve("processed/trip-0001.json"), ".receipt.json"));
        assertThat(Files.exists(cbpIn.resolve("processed/trip-0001.json"))).isTrue();
        assertThat(Files.exists(cbpIn.resolve("trip-0001.json"))).isFalse();
        assertThat(receipt.path("replayed").asBoolean()).isFalse();
        String id = receipt.path("messageId").asText();

        Path delivered = await(anamOut.resolve(id + ".json"));
        JsonNode message = json(delivered);
        byte[] payload = SubmissionParser.payloadBytes(document, SubmissionParser.parse(document));
        assertThat(message.path("payload")).isEqualTo(json(payload));
        assertThat(Files.readString(delivered)).as("payload bytes as submitted").contains(new String(payload, StandardCharsets.UTF_8));
        assertThat(message.path("header").path("messageId").asText()).isEqualTo(id);
        assertThat(message.path("acknowledged").asBoolean()).isFalse();
        // the database, not a marker file, records which messages were written as files
        assertThat(Poll.until(WAIT, () -> Optional.of(handedOverAsFile(id)).filter(n -> n == 1))).as("inbox.delivered_via")
                .contains(1L);
        assertThat(mx.gateway().config().dataDir().resolve("drop-state")).doesNotExist();

        Files.delete(delivered);
        Optional<String> acknowledged = Poll.until(WAIT, () -> "DELIVERED".equals(json(cbpRest.get("/api/v1/messages/" + id).body())
                .path("state").asText()) ? Optional.of(id) : Optional.empty());
        assertThat(acknowledged).as("the sender sees DELIVERED once the file is taken").isPresent();
        assertThat(mx.count("SELECT COUNT(*) FROM inbox WHERE message_id = ? AND state = 'ACKNOWLEDGED'", id)).isEqualTo(1);
    }

    @Test
    void a_deprecated_schema_version_is_accepted_and_its_receipt_carries_the_warning() throws Exception {
        ObjectNode doc = (ObjectNode) CanonicalJson.mapper().readTree(sample("cargo.manifest.us-to-mx.json"));
        doc.put("schemaVersion", "1.0");
        Path tmp = cbpIn.resolve("old-version.json.tmp");
        Files.write(tmp, CanonicalJson.mapper().writeValueAsBytes(doc));
        Files.move(tmp, cbpIn.resolve("old-version.json"));

        JsonNode receipt = json(filed(cbpIn.resolve("processed/old-version.json"), ".receipt.json"));
        assertThat(receipt.path("status").asText()).isEqualTo("ACCEPTED");
        JsonNode warning = receipt.path("warnings").get(0);
        assertThat(warning.path("code").asText()).isEqualTo("schema_version_deprecated");
        assertThat(warning.path("pointer").asText()).isEqualTo("/schemaVersion");
        assertThat(warning.path("message").asText()).contains("1.1");
        JsonNode current = json(filed(drop(sample("cargo.manifest.us-to-mx.json"), "current-version.json"), ".receipt.json"));
        assertThat(current.has("warnings")).isFalse();
    }

    private static Path drop(byte[] content, String name) throws java.io.IOException {
        Path tmp = cbpIn.resolve(name + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, cbpIn.resolve(name));
        return cbpIn.resolve("processed/" + name);
    }

    @Test
    void temporary_and_hidden_files_are_left_alone_until_renamed() throws Exception {
        Files.write(cbpIn.resolve("half-written.json.tmp"), "{\"messageType\":".getBytes(StandardCharsets.UTF_8));
        Files.write(cbpIn.resolve("half-written.json.part"), "{\"messageType\":".getBytes(StandardCharsets.UTF_8));
        Files.write(cbpIn.resolve(".hidden.json"), "{\"messageType\":".getBytes(StandardCharsets.UTF_8));
        Files.write(cbpIn.resolve("after.json"), sample("cargo.transit-event.us-to-mx.json"));
        filed(cbpIn.resolve("processed/after.json"), ".receipt.json");
        assertThat(cbpIn.resolve("half-written.json.tmp")).exists();
        assertThat(cbpIn.resolve("half-written.json.part")).exists();
        assertThat(cbpIn.resolve(".hidden.json")).exists();
        assertThat(cbpIn.resolve("rejected/half-written.json.tmp")).doesNotExist();
    }

    @Test
    void with_done_files_a_file_waits_for_its_done_file_and_the_done_file_is_removed() throws Exception {
        Files.write(iceIn.resolve("waiting.json"), sample("enforcement.assistance-request.us-to-mx.json"));
        Files.write(iceIn.resolve("ready.json"), sample("enforcement.spontaneous-information.us-to-mx.json"));
        Files.write(iceIn.resolve("ready.json.done"), new byte[0]);
        filed(iceIn.resolve("processed/ready.json"), ".receipt.json");
        assertThat(iceIn.resolve("waiting.json")).exists();
        Files.write(iceIn.resolve("waiting.json.done"), new byte[0]);
        filed(iceIn.resolve("processed/waiting.json"), ".receipt.json");
        Optional<Path> cleaned = Poll.until(WAIT, () -> Files.exists(iceIn.resolve("waiting.json.done")) ? Optional.empty()
                : Optional.of(iceIn));
        assertThat(cleaned).isPresent();
        assertThat(iceIn.resolve("ready.json.done")).doesNotExist();
    }

    @Test
    void an_invalid_document_is_rejected_with_a_reason_listing_every_problem() throws Exception {
        ObjectNode doc = (ObjectNode) json(sample("cargo.manifest.us-to-mx.json"));
        ((ObjectNode) doc.path("payload").path("equipment").get(0)).put("containerNumber", "MSCU1234560");
        doc.put("legalBasis", "NO-SUCH-AGREEMENT");
        Files.write(cbpIn.resolve("bad.json"), CanonicalJson.bytes(doc));
        JsonNode reason = json(filed(cbpIn.resolve("rejected/bad.json"), ".reason.json"));
        assertThat(cbpIn.resolve("rejected/bad.json")).exists();
        JsonNode rest = json(cbpRest.post("/api/v1/messages", CanonicalJson.bytes(doc)).body());
        assertThat(reason.path("error")).isEqualTo(rest);
        assertThat(reason.path("error").path("problems").size()).isGreaterThanOrEqualTo(2);
        assertThat(reason.path("error").path("problems").findValuesAsText("code")).contains("invalid_container_number");
    }

    @Test
    void reasons_are_in_spanish_for_a_folder_configured_so() throws Exception {
        Files.write(iceIn.resolve("vacio.json"), "{}".getBytes(StandardCharsets.UTF_8));
        Files.write(iceIn.resolve("vacio.json.done"), new byte[0]);
        JsonNode reason = json(filed(iceIn.resolve("rejected/vacio.json"), ".reason.json"));
        assertThat(reason.path("error").path("code").asText()).isEqualTo("required_field_missing");
        assertThat(reason.path("error").path("message").asText()).startsWith("Falta el campo obligatorio");
    }

    @Test
    void a_symbolic_link_is_refused_and_its_target_never_submitted() throws Exception {
        Path outside = dir.resolve("outside.json");
        Files.write(outside, sample("cargo.manifest.us-to-mx.json"));
        long before = outbox(us);
        Files.createSymbolicLink(cbpIn.resolve("link.json"), outside);
        JsonNode reason = json(filed(cbpIn.resolve("rejected/link.json"), ".reason.json"));
        assertThat(reason.path("error").path("code").asText()).isEqualTo("unsafe_file");
        assertThat(Files.isSymbolicLink(cbpIn.resolve("rejected/link.json"))).isTrue();
        assertThat(outside).exists();
        assertThat(outbox(us)).isEqualTo(before);
    }

    @Test
    void a_symbolic_link_to_nothing_is_refused_too() throws Exception {
        Files.createSymbolicLink(cbpIn.resolve("dangling.json"), dir.resolve("no-such-file.json"));
        Path moved = cbpIn.resolve("rejected/dangling.json");
        assertThat(Poll.until(WAIT, () -> Files.isSymbolicLink(moved) ? Optional.of(moved) : Optional.<Path>empty())).isPresent();
        JsonNode reason = json(moved.resolveSibling("dangling.json.reason.json"));
        assertThat(reason.path("error").path("code").asText()).isEqualTo("unsafe_file");
        assertThat(cbpIn.resolve("dangling.json")).doesNotExist();
    }

    @Test
    void a_huge_file_is_refused_without_being_read() throws Exception {
        Path huge = cbpIn.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(4L * 1024 * 1024 * 1024);
        }
        JsonNode reason = json(filed(cbpIn.resolve("rejected/huge.json"), ".reason.json"));
        assertThat(reason.path("error").path("code").asText()).isEqualTo("payload_too_large");
        // docs/api.md: a reason file is {"file", "sha256", "at", "error"}, sha256 null for a file never read
        assertThat(reason.has("sha256")).as("the reason file keeps its documented sha256 key: " + reason).isTrue();
        assertThat(reason.path("sha256").isNull()).as("never read").isTrue();
    }

    @Test
    void files_that_are_not_utf8_are_refused_with_invalid_encoding() throws Exception {
        String text = new String(sample("cargo.manifest.us-to-mx.json"), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"note\":\"café\",");
        Files.write(cbpIn.resolve("latin1.json"), text.getBytes(StandardCharsets.ISO_8859_1));
        Files.write(cbpIn.resolve("utf16.json"), text.getBytes(StandardCharsets.UTF_16));
        assertThat(json(filed(cbpIn.resolve("rejected/latin1.json"), ".reason.json")).path("error").path("code").asText())
                .isEqualTo("invalid_encoding");
        assertThat(json(filed(cbpIn.resolve("rejected/utf16.json"), ".reason.json")).path("error").path("code").asText())
                .isEqualTo("invalid_encoding");
    }

    @Test
    void the_same_file_dropped_again_replays_its_first_message_and_is_filed_beside_it() throws Exception {
        byte[] document = sample("targeting.risk-referral.us-to-mx.json");
        Files.write(cbpIn.resolve("again.json"), document);
        JsonNode first = json(filed(cbpIn.resolve("processed/again.json"), ".receipt.json"));
        long before = outbox(us);
        Files.write(cbpIn.resolve("again.json"), document);
        JsonNode second = json(filed(cbpIn.resolve("processed/again.json.1"), ".receipt.json"));
        assertThat(second.path("messageId").asText()).isEqualTo(first.path("messageId").asText());
        assertThat(second.path("replayed").asBoolean()).isTrue();
        assertThat(outbox(us)).isEqualTo(before);
    }

    // --- issue 13: an agency that can write its folders plants symbolic links where the gateway writes ---

    @Test
    void a_processed_folder_replaced_by_a_link_to_a_planted_receipt_name_overwrites_nothing_and_submits_nothing()
            throws Exception {
        byte[] archive = "the gateway's audit archive, 2026-11".getBytes(StandardCharsets.UTF_8);
        Path victim = Files.write(us.gateway().config().dataDir().resolve("audit-archive-2026-11.bin"), archive);
        long submitted = outbox(us);
        double refused = refusals(us, "drop-inbound-cbp");
        // as issue 13 tried it: mv processed p0; mkdir .x; ln -s $VICTIM .x/.a.json.receipt.json.tmp; ln -s .x processed
        Files.move(cbpIn.resolve("processed"), cbpIn.resolve("p0"));
        Files.createDirectory(cbpIn.resolve(".x"));
        Files.createSymbolicLink(cbpIn.resolve(".x/.tampered-processed.json.receipt.json.tmp"), victim);
        Files.createSymbolicLink(cbpIn.resolve("processed"), Path.of(".x"));
        try {
            drop(cbpIn, "tampered-processed.json", sample("cargo.manifest.us-to-mx.json"));
            Poll.until(WAIT, () -> refusals(us, "drop-inbound-cbp") > refused
                    || !Files.exists(cbpIn.resolve("tampered-processed.json")) ? Optional.of(true) : Optional.empty());

            assertThat(Files.readAllBytes(victim)).as("the victim file").asString(StandardCharsets.UTF_8)
                    .isEqualTo(new String(archive, StandardCharsets.UTF_8));
            assertThat(refusals(us, "drop-inbound-cbp")).as("counted as unsafe_file").isGreaterThan(refused);
            assertThat(cbpIn.resolve("tampered-processed.json")).as("left in the inbound folder").exists();
            assertThat(outbox(us)).as("nothing submitted while its folder is not the gateway's").isEqualTo(submitted);
            assertThat(Files.list(cbpIn.resolve(".x")).map(p -> p.getFileName().toString()))
                    .containsExactly(".tampered-processed.json.receipt.json.tmp");
        } finally {
            Files.delete(cbpIn.resolve("processed"));
            Files.move(cbpIn.resolve("p0"), cbpIn.resolve("processed"));
        }
        JsonNode receipt = json(filed(cbpIn.resolve("processed/tampered-processed.json"), ".receipt.json"));
        assertThat(receipt.path("replayed").asBoolean()).as("taken once the folder is the gateway's again").isFalse();
        assertThat(outbox(us)).isEqualTo(submitted + 1);
    }

    @Test
    void a_rejected_folder_pointed_at_another_agencys_outbound_folder_puts_no_forged_message_there() throws Exception {
        String forged = java.util.UUID.randomUUID() + ".json";
        byte[] fromMexico = ("{\"messageId\":\"" + forged.replace(".json", "") + "\",\"mailboxSeq\":1,"
                + "\"header\":{\"sender\":{\"country\":\"MX\",\"agency\":\"ANAM\"},"
                + "\"receiver\":{\"country\":\"US\",\"agency\":\"ICE-HSI\"}},\"payload\":{\"note\":\"release the cargo\"}}")
                .getBytes(StandardCharsets.UTF_8);
        double refused = refusals(us, "drop-inbound-cbp");
        Files.move(cbpIn.resolve("rejected"), cbpIn.resolve("r0"));
        Files.createSymbolicLink(cbpIn.resolve("rejected"), iceOut);
        try {
            drop(cbpIn, forged, fromMexico);
            Poll.until(WAIT, () -> refusals(us, "drop-inbound-cbp") > refused || !Files.exists(cbpIn.resolve(forged))
                    ? Optional.of(true) : Optional.empty());

            assertThat(iceOut.resolve(forged)).as("ICE-HSI's outbound folder").doesNotExist();
            assertThat(iceOut.resolve(forged + ".reason.json")).doesNotExist();
            assertThat(refusals(us, "drop-inbound-cbp")).as("counted as unsafe_file").isGreaterThan(refused);
            assertThat(cbpIn.resolve(forged)).exists();
        } finally {
            Files.delete(cbpIn.resolve("rejected"));
            Files.move(cbpIn.resolve("r0"), cbpIn.resolve("rejected"));
        }
        JsonNode reason = json(filed(cbpIn.resolve("rejected/" + forged), ".reason.json"));
        assertThat(reason.path("error").path("code").asText()).isEqualTo("unknown_field");
        assertThat(iceOut.resolve(forged)).doesNotExist();
    }

    @Test
    void an_outbound_folder_replaced_by_a_link_to_another_agencys_folder_gets_nothing_there_and_delivers_once_restored()
            throws Exception {
        Files.move(anamOut, anamOut.resolveSibling("anam-out-0"));
        Files.createSymbolicLink(anamOut, satOut);
        String id;
        try {
            id = json(cbpRest.post("/api/v1/messages", sample("cargo.transit-event.us-to-mx.json")).body())
                    .path("messageId").asText();
            Optional<Long> refused = Poll.until(WAIT, () -> Optional.of(mx.count("SELECT COUNT(*) FROM work WHERE kind = ?"
                    + " AND ref = ? AND last_error_code = 'unsafe_file'", "DROP_FILE", id)).filter(n -> n == 1));

            assertThat(satOut.resolve(id + ".json")).as("SAT's outbound folder").doesNotExist();
            assertThat(refused).as("the file job is retried with unsafe_file").contains(1L);
            assertThat(handedOverAsFile(id)).isZero();
        } finally {
            Files.delete(anamOut);
            Files.move(anamOut.resolveSibling("anam-out-0"), anamOut);
        }
        Path delivered = await(anamOut.resolve(id + ".json"));
        assertThat(json(delivered).path("header").path("messageId").asText()).isEqualTo(id);
        assertThat(satOut.resolve(id + ".json")).doesNotExist();
        Files.delete(delivered);
    }

    static void drop(Path folder, String name, byte[] content) throws java.io.IOException {
        Path tmp = folder.resolve(name + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, folder.resolve(name));
    }

    /** Failed cycles of a drop route refused as unsafe (a gateway folder that is not the gateway's). */
    static double refusals(GatewayHarness g, String route) {
        io.micrometer.core.instrument.Counter c = g.context().getRegistry()
                .lookupByNameAndType("prometheusMeterRegistry", io.micrometer.core.instrument.MeterRegistry.class)
                .find("gateway.background.failures").tag("route", route).tag("code", "unsafe_file").counter();
        return c == null ? 0 : c.count();
    }

    static byte[] sample(String name) {
        return SampleMessages.named(name).orElseThrow().bytes();
    }

    static Path await(Path file) {
        return Poll.until(WAIT, () -> Files.exists(file) ? Optional.of(file) : Optional.<Path>empty())
                .orElseThrow(() -> new AssertionError(file + " did not appear"));
    }

    /** Waits until a file is filed away (moved, which comes after its receipt or reason is written); the note. */
    static Path filed(Path moved, String suffix) {
        await(moved);
        return moved.resolveSibling(moved.getFileName() + suffix);
    }

    static JsonNode json(Path file) throws Exception {
        return json(Files.readAllBytes(file));
    }

    static JsonNode json(byte[] bytes) {
        try {
            return CanonicalJson.mapper().readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    static long handedOverAsFile(String messageId) {
        return mx.count("SELECT COUNT(*) FROM inbox WHERE message_id = ? AND delivered_via = 'DROP'", messageId);
    }

    static long outbox(GatewayHarness g) {
        return g.count("SELECT COUNT(*) FROM outbox");
    }
}
