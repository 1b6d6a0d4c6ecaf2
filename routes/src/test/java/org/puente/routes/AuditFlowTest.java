package org.puente.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.receipt.Receipt;
import org.puente.envelope.receipt.ReceiptOutcome;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.audit.verify.AuditVerification;
import org.puente.engine.audit.PeerReconciliation;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * The audit log seen from outside, with two gateways in this JVM: each step of a message leaves
 * its events on both sides, each side's message story carries the signed proofs it holds (the
 * sender the peer's receipt and delivery notice, the receiver the receipt it gave), auditors (and
 * only auditors) query and export over the operations listener, and the daily reconciliation over
 * the peer link agrees — or counts what is missing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditFlowTest {
    @TempDir
    static Path dir;
    static GatewayPair gateways;
    static Path pki;
    static GatewayHarness us;
    static GatewayHarness mx;
    static AgencyClient cbp;
    static AgencyClient anam;
    static String messageId;

    @BeforeAll
    static void start() {
        gateways = GatewayPair.start(dir);
        pki = gateways.pki;
        us = gateways.us;
        mx = gateways.mx;
        cbp = gateways.agencyClient(us, "agency-cbp");
        anam = gateways.agencyClient(mx, "agency-anam");
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
    }

    static AgencyClient auditor(GatewayHarness g) {
        return AgencyClient.sample(pki, g.country(), "auditor", g.ports().ops());
    }

    @Test
    @Order(1)
    void every_step_of_a_message_leaves_its_events_in_order_on_both_sides() {
        byte[] document = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        HttpResponse<byte[]> accepted = cbp.post("/api/v1/messages", document);
        assertThat(accepted.statusCode()).isEqualTo(202);
        messageId = json(accepted.body()).get("messageId").asText();
        assertThat(Poll.until(Duration.ofSeconds(20), () -> anam.get("/api/v1/inbox/" + messageId + "/payload").statusCode() == 200
                ? Optional.of(true) : Optional.empty())).isPresent();
        assertThat(anam.post("/api/v1/inbox/" + messageId + "/ack", new byte[0]).statusCode()).isEqualTo(200);

        Optional<List<String>> usStory = Poll.until(Duration.ofSeconds(20), () -> {
            List<String> events = story(us, messageId);
            return events.contains("NOTICE_RECEIVED") ? Optional.of(events) : Optional.empty();
        });

        assertThat(usStory).get().asList().containsExactly("SUBMITTED", "SEALED", "SENT", "RECEIPTED", "NOTICE_RECEIVED");
        // the receiving side records NOTICE_SENT once the sender has answered the notice: wait for it too
        Optional<List<String>> mxStory = Poll.until(Duration.ofSeconds(20), () -> {
            List<String> events = story(mx, messageId);
            return events.contains("NOTICE_SENT") ? Optional.of(events) : Optional.empty();
        });
        assertThat(mxStory).get().asList().containsExactly("RECEIVED", "STORED", "DELIVERED", "ACKNOWLEDGED", "NOTICE_SENT");
        JsonNode sent = entries(auditor(us).get("/audit/v1/events?event=SENT&messageId=" + messageId)).get(0);
        JsonNode stored = entries(auditor(mx).get("/audit/v1/events?event=STORED&messageId=" + messageId)).get(0);
        assertThat(sent.get("envelopeSha256").asText()).isEqualTo(stored.get("envelopeSha256").asText()).hasSize(64);
        assertThat(sent.get("payloadSha256").asText()).isEqualTo(stored.get("payloadSha256").asText());
        assertThat(stored.get("sender").asText()).isEqualTo("US/CBP");
        assertThat(stored.get("receiver").asText()).isEqualTo("MX/ANAM");
        assertThat(stored.get("legalBasis").asText()).isEqualTo("CMAA-2000");
        assertThat(stored.has("payload")).as("never payload content").isFalse();
    }

    @Test
    @Order(2)
    void the_message_story_carries_the_signed_receipt_and_delivery_notice_the_sender_holds_and_the_receipt_the_receiver_gave() {
        JsonNode sender = json(auditor(us).get("/audit/v1/messages/" + messageId).body());
        JsonNode receiver = json(auditor(mx).get("/audit/v1/messages/" + messageId).body());
        UUID id = UUID.fromString(messageId);
        byte[] envelopeSha256 = HexFormat.of().parseHex(entries(auditor(us).get("/audit/v1/events?event=SENT&messageId="
                + messageId)).get(0).get("envelopeSha256").asText());

        byte[] receipt = base64(sender, "receipt");
        Receipt verified = us.gateway().envelopes().verifyReceipt(receipt, id, envelopeSha256);
        assertThat(verified.outcome()).isEqualTo(ReceiptOutcome.ACCEPTED);
        DeliveryNotice notice = us.gateway().envelopes().verifyNotice(base64(sender, "deliveryNotice"));
        assertThat(notice.messageId()).isEqualTo(id);
        assertThat(notice.agency()).isEqualTo("ANAM");
        assertThat(sender.has("ourReceipt")).as("the US gateway received nothing for this message").isFalse();

        assertThat(base64(receiver, "ourReceipt")).as("the receipt MX answered is the one US keeps").isEqualTo(receipt);
        assertThat(receiver.has("receipt")).as("MX sent nothing for this message").isFalse();
        assertThat(receiver.has("deliveryNotice")).isFalse();
    }

    @Test
    @Order(3)
    void agencies_and_operators_are_refused_by_the_auditor_api() {
        AgencyClient agencyOnOps = AgencyClient.sample(pki, Country.US, "agency-cbp", us.ports().ops());
        AgencyClient operator = AgencyClient.sample(pki, Country.US, "operator", us.ports().ops());
        for (String path : List.of("/audit/v1/events", "/audit/v1/head", "/audit/v1/checkpoints",
                "/audit/v1/messages/" + messageId, "/audit/v1/export?from=2026-11-28&to=2026-11-29")) {
            for (AgencyClient refused : List.of(agencyOnOps, operator)) {
                HttpResponse<byte[]> r = refused.get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(403);
                assertThat(json(r.body()).get("code").asText()).as(path).isEqualTo("forbidden");
            }
        }
        assertThat(auditor(us).get("/audit/v1/head").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void an_auditor_filters_by_event_agency_and_time_and_pages_through_the_log() {
        AgencyClient a = auditor(us);
        List<JsonNode> all = entries(a.get("/audit/v1/events?agency=ANAM&limit=1000"));
        assertThat(all).extracting(n -> n.get("event").asText()).contains("SUBMITTED", "SENT");
        List<Long> paged = new ArrayList<>();
        String next = "0";
        while (next != null) {
            JsonNode page = json(a.get("/audit/v1/events?agency=MX/ANAM&limit=2&after=" + next).body());
            page.get("entries").forEach(n -> paged.add(n.get("seq").asLong()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
        }
        assertThat(paged).containsExactlyElementsOf(all.stream().map(n -> n.get("seq").asLong()).toList());
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(entries(a.get("/audit/v1/events?event=RECEIPTED&from=" + today))).hasSize(1);
        assertThat(entries(a.get("/audit/v1/events?event=RECEIPTED&to=" + today))).isEmpty();
    }

    @Test
    @Order(5)
    void malformed_queries_are_refused_with_their_code() {
        AgencyClient a = auditor(us);
        assertError(a.get("/audit/v1/events?event=NOTHING"), 400, "value_not_allowed");
        assertError(a.get("/audit/v1/events?from=yesterday"), 400, "invalid_format");
        assertError(a.get("/audit/v1/events?limit=5000"), 400, "above_maximum");
        assertError(a.get("/audit/v1/messages/not-a-uuid"), 400, "invalid_format");
        assertError(a.get("/audit/v1/messages/" + UUID.randomUUID()), 404, "not_found");
        assertError(a.get("/audit/v1/export?from=2026-11-29&to=2026-11-28"), 400, "invalid_time_window");
        assertError(a.get("/audit/v1/export?to=2026-11-28"), 400, "required_field_missing");
    }

    @Test
    @Order(6)
    void an_export_carries_the_checkpoints_and_a_detached_signature_that_verifies_and_is_itself_audited() throws Exception {
        assertThat(us.gateway().audit().checkpoints().checkpoint()).isPresent();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();

        HttpResponse<byte[]> r = auditor(us).get("/audit/v1/export?from=" + today + "&to=" + tomorrow);

        assertThat(r.statusCode()).isEqualTo(200);
        Path file = split(r.body(), dir.resolve("us-export.jsonl"));
        AuditVerification.ExportResult result = verification(Country.US).verifyExport(file);
        assertThat(result.intact()).as(result.chain().firstBreak() + " " + result.signatureFailure()).isTrue();
        assertThat(result.chain().checkpoints()).isPositive();
        assertThat(result.signer()).get().asString().contains("gateway.us.puente.sample");
        List<JsonNode> made = entries(auditor(us).get("/audit/v1/events?event=EXPORT_MADE"));
        assertThat(made).singleElement().satisfies(e -> {
            assertThat(e.get("actor").asText()).contains("US auditor");
            assertThat(e.get("detail").asText()).contains(result.header().lastSeq() + " (");
        });
    }

    @Test
    @Order(7)
    void the_daily_reconciliation_over_the_peer_link_matches_every_message_on_both_sides() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        PeerReconciliation.Result fromUs = us.gateway().audit().reconciliation().reconcile(today);
        PeerReconciliation.Result fromMx = mx.gateway().audit().reconciliation().reconcile(today);

        assertThat(fromUs.matched()).isTrue();
        assertThat(fromUs.sent().checked()).isEqualTo(1);
        assertThat(fromUs.sent().matched()).isEqualTo(1);
        assertThat(fromMx.stored().matched()).isEqualTo(1);
        assertThat(fromMx.matched()).isTrue();
        assertThat(mismatches(us)).isZero();
        assertThat(mismatches(mx)).isZero();
        assertThat(entries(auditor(us).get("/audit/v1/events?event=RECONCILED"))).extracting(n -> n.get("outcome").asText())
                .containsExactly("OK", "OK");
    }

    @Test
    @Order(8)
    void a_message_one_side_sent_that_the_other_never_stored_is_reported_missing_and_counted_on_both_sides() {
        UUID ghost = UUID.randomUUID();
        AuditEvent sentOnly = new AuditEvent(java.time.Instant.now(), AuditEventType.SENT,
                new AuditEvent.Subject(ghost, null, "cargo.manifest", "US/CBP", "MX/ANAM", "CMAA-2000", null, null),
                new AuditEvent.Digests(null, "ab".repeat(32)), "gateway.us.puente.sample", AuditEvent.Result.SUCCESS);
        us.gateway().transactions().write(c -> {
            us.gateway().audit().log().append(c, sentOnly);
            return null;
        });

        PeerReconciliation.Result r = us.gateway().audit().reconciliation().reconcile(LocalDate.now(ZoneOffset.UTC));

        assertThat(r.matched()).isFalse();
        assertThat(r.sent().missing()).isEqualTo(1);
        assertThat(r.sent().missingIds()).containsExactly(ghost);
        assertThat(mismatches(us)).isEqualTo(1.0);
        assertThat(mismatches(mx)).isEqualTo(1.0);
        for (GatewayHarness g : List.of(us, mx)) {
            List<JsonNode> reconciled = entries(auditor(g).get("/audit/v1/events?event=RECONCILED&outcome=MISMATCH"));
            assertThat(reconciled).singleElement().satisfies(e -> assertThat(e.get("detail").asText()).contains(ghost.toString()));
        }
    }

    private static byte[] base64(JsonNode story, String proof) {
        assertThat(story.path(proof).isTextual()).as(proof + " in " + story).isTrue();
        return Base64.getDecoder().decode(story.get(proof).asText());
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String code) {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(json(r.body()).get("code").asText()).isEqualTo(code);
    }

    private static double mismatches(GatewayHarness g) {
        MeterRegistry registry = g.context().getRegistry().lookupByNameAndType("prometheusMeterRegistry", MeterRegistry.class);
        return registry.get("gateway.reconciliation.mismatches").counter().count();
    }

    private static List<String> story(GatewayHarness g, String id) {
        HttpResponse<byte[]> r = auditor(g).get("/audit/v1/messages/" + id);
        if (r.statusCode() != 200) {
            return List.of();
        }
        List<String> events = new ArrayList<>();
        json(r.body()).get("entries").forEach(n -> events.add(n.get("event").asText()));
        return events;
    }

    private static List<JsonNode> entries(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        json(r.body()).get("entries").forEach(out::add);
        return out;
    }

    /** Writes the export to {@code file} and its trailing signature line to {@code file.p7s}. */
    static Path split(byte[] body, Path file) throws Exception {
        String text = new String(body, StandardCharsets.UTF_8);
        int cut = text.lastIndexOf('\n', text.length() - 2) + 1;
        JsonNode signature = json(text.substring(cut).getBytes(StandardCharsets.UTF_8));
        assertThat(signature.get("kind").asText()).isEqualTo("signature");
        Files.write(file, text.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        Files.write(file.resolveSibling(file.getFileName() + ".p7s"), Base64.getDecoder().decode(signature.get("cms").asText()));
        return file;
    }

    static AuditVerification verification(Country c) {
        String lower = c.name().toLowerCase();
        SignerTrust trust = SignerTrust.builder()
                .roots(TrustMaterial.certificates(List.of(pki.resolve(lower + "/root-ca.pem")), null))
                .crls(TrustMaterial.crls(List.of(pki.resolve(lower + "/root-ca.crl.pem"), pki.resolve(lower + "/issuing-ca.crl.pem"))))
                .expectedSignerName("gateway." + lower + ".puente.sample").noAgeLimit().build();
        return new AuditVerification(new StatementVerifier(AlgorithmProfile.DEFAULT), trust);
    }

    static JsonNode json(byte[] body) {
        try {
            return CanonicalJson.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(new String(body, StandardCharsets.UTF_8), e);
        }
    }
}
