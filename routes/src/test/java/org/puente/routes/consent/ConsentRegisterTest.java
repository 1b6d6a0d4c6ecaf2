package org.puente.routes.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.CanonicalJson;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * The consent register through both gateways: HSI gives ANAM information, ANAM may not pass it on
 * until HSI grants it, may once granted (for that recipient and purpose only), and may not once the
 * grant is revoked or has lapsed. Every question and answer is audited; consent about a message
 * the two agencies never exchanged is refused on both sides.
 */
class ConsentRegisterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FGR = "Fiscalía General de la República";
    private static final String PURPOSE = "Criminal investigation of firearms smuggling, Nuevo Laredo customs office.";

    @TempDir
    Path dir;

    @Test
    void no_grant_refuses_a_grant_allows_a_revocation_or_lapse_stops_and_every_question_is_audited() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient hsi = pair.agencyClient(pair.us, "agency-ice-hsi");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            String info = accepted(hsi.post("/api/v1/messages", bytes(sample("enforcement.spontaneous-information.us-to-mx.json"))));
            awaitRow(pair.mx, "SELECT COUNT(*) FROM inbox WHERE message_id = ?", info, 1);

            assertVerdict(check(anam, info, FGR, PURPOSE), false, "no_grant");

            accepted(anam.post("/api/v1/messages", consent("enforcement.disclosure-consent.mx-to-us.json", info, null, null)));
            awaitRow(pair.us, "SELECT COUNT(*) FROM disclosure_consent WHERE original_message_id = ?", info, 1);
            assertVerdict(check(anam, info, FGR, PURPOSE), false, "no_grant");

            String grant = accepted(hsi.post("/api/v1/messages", consent("enforcement.disclosure-consent.us-to-mx.json", info,
                    "GRANTED_WITH_CONDITIONS", LocalDate.now(ZoneOffset.UTC).plusDays(30))));
            awaitRow(pair.mx, "SELECT COUNT(*) FROM disclosure_consent WHERE original_message_id = ?", info, 2);
            JsonNode allowed = check(anam, info, FGR, PURPOSE);
            assertVerdict(allowed, true, "granted");
            assertThat(allowed.get("decision").get("consentMessageId").asText()).isEqualTo(grant);
            assertThat(allowed.get("decision").get("conditions")).hasSize(2);
            assertVerdict(check(anam, info, "  fiscalía general de la república ", PURPOSE), true, "granted");
            assertVerdict(check(anam, info, "Servicio de Administración Tributaria", PURPOSE), false, "no_grant");
            assertVerdict(check(anam, info, FGR, "Tax audit of the consignee."), false, "no_grant");

            // a denial after the grant revokes it
            accepted(hsi.post("/api/v1/messages", consent("enforcement.disclosure-consent.us-to-mx.json", info, "DENIED", null)));
            awaitRow(pair.mx, "SELECT COUNT(*) FROM disclosure_consent WHERE original_message_id = ?", info, 3);
            assertVerdict(check(anam, info, FGR, PURPOSE), false, "revoked");
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'CONSENT_DECIDED'"
                    + " AND detail LIKE 'DENIED (revokes the earlier grant)%'")).isEqualTo(1);

            // a grant past its validUntil has lapsed
            ObjectNode lapsed = (ObjectNode) read(consent("enforcement.disclosure-consent.us-to-mx.json", info, "GRANTED",
                    LocalDate.now(ZoneOffset.UTC).minusDays(1)));
            ((ObjectNode) lapsed.path("payload").path("onwardRecipient")).put("name", "Unidad de Inteligencia Financiera");
            lapsed.withObject("/payload").remove("conditions");
            accepted(hsi.post("/api/v1/messages", bytes(lapsed)));
            awaitRow(pair.mx, "SELECT COUNT(*) FROM disclosure_consent WHERE original_message_id = ?", info, 4);
            assertVerdict(check(anam, info, "Unidad de Inteligencia Financiera", PURPOSE), false, "expired");

            // both registers hold the same four entries; the provider sees them too, a stranger does not
            for (AgencyClient side : List.of(anam, hsi)) {
                JsonNode entries = json(side.get("/api/v1/consents/" + info)).get("entries");
                assertThat(StreamSupport.stream(entries.spliterator(), false).map(e -> e.get("kind").asText() + " "
                        + e.path("decision").asText("-"))).containsExactly("REQUEST -", "DECISION GRANTED_WITH_CONDITIONS",
                        "DECISION DENIED", "DECISION GRANTED");
            }
            assertError(pair.agencyClient(pair.us, "agency-cbp").get("/api/v1/consents/" + info), 404, "not_found");

            // every question and answer audited where it was asked, with its verdict
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'DISCLOSURE_CHECKED'")).isEqualTo(8);
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'DISCLOSURE_CHECKED' AND outcome = 'OK'"
                    + " AND message_id = ?", info)).isEqualTo(2);
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'DISCLOSURE_CHECKED'"
                    + " AND outcome = 'REJECTED' AND detail LIKE 'revoked: to " + FGR + "%'")).isEqualTo(1);
            for (GatewayHarness g : List.of(pair.us, pair.mx)) {
                assertThat(g.count("SELECT COUNT(*) FROM audit_event WHERE event = 'CONSENT_REQUESTED'")).isEqualTo(1);
                assertThat(g.count("SELECT COUNT(*) FROM audit_event WHERE event = 'CONSENT_DECIDED'")).isEqualTo(3);
            }
        }
    }

    @Test
    void consent_about_a_message_the_two_agencies_never_exchanged_is_refused_and_a_question_needs_the_holder() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient hsi = pair.agencyClient(pair.us, "agency-ice-hsi");
            AgencyClient cbp = pair.agencyClient(pair.us, "agency-cbp");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            AgencyClient sat = pair.agencyClient(pair.mx, "agency-sat");
            String info = accepted(hsi.post("/api/v1/messages", bytes(sample("enforcement.spontaneous-information.us-to-mx.json"))));
            awaitRow(pair.mx, "SELECT COUNT(*) FROM inbox WHERE message_id = ?", info, 1);

            assertError(anam.post("/api/v1/messages", consent("enforcement.disclosure-consent.mx-to-us.json",
                    UUID.randomUUID().toString(), null, null)), 409, "unknown_original");
            // CBP did not give ANAM this information: it cannot decide on it
            ObjectNode byCbp = (ObjectNode) read(consent("enforcement.disclosure-consent.us-to-mx.json", info, "GRANTED", null));
            ((ObjectNode) byCbp.path("sender")).put("agency", "CBP");
            byCbp.withObject("/payload").remove("conditions");
            assertError(cbp.post("/api/v1/messages", bytes(byCbp)), 409, "unknown_original");
            // the provider cannot ask consent for its own information
            ObjectNode request = (ObjectNode) read(consent("enforcement.disclosure-consent.us-to-mx.json", info, null, null));
            request.withObject("/payload").put("kind", "REQUEST");
            request.withObject("/payload").remove(List.of("decision", "conditions"));
            assertError(hsi.post("/api/v1/messages", bytes(request)), 409, "unknown_original");
            assertThat(pair.us.count("SELECT COUNT(*) FROM disclosure_consent")).isZero();
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'REJECTED' AND error_code = 'unknown_original'"))
                    .isEqualTo(1);

            assertError(ask(sat, info, FGR, PURPOSE), 404, "not_found");
            HttpResponse<byte[]> missing = anam.post("/api/v1/disclosures/check",
                    ("{\"messageId\":\"" + info + "\",\"recipient\":\"" + FGR + "\"}").getBytes(StandardCharsets.UTF_8));
            assertError(missing, 400, "required_field_missing");
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'DISCLOSURE_CHECKED'")).isZero();

            // a decision may only follow information the holder's gateway has stored
            AgencyClient operator = AgencyClient.sample(pair.pki, org.puente.model.Country.US, "operator", pair.us.ports().ops());
            assertThat(operator.post("/ops/v1/delivery/suspend", "{\"reason\":\"consent test\"}"
                    .getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
            String held = accepted(hsi.post("/api/v1/messages", bytes(sample("enforcement.spontaneous-information.us-to-mx.json"))));
            assertError(hsi.post("/api/v1/messages", consent("enforcement.disclosure-consent.us-to-mx.json", held,
                    "GRANTED_WITH_CONDITIONS", null)), 409, "original_not_received");
            assertThat(operator.post("/ops/v1/delivery/resume", "{}".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(200);

            // the receiving gateway checks too: ANAM's copy of the information removed behind its back
            pair.mx.execute("DELETE FROM inbox WHERE message_id = ?", info);
            String decision = accepted(hsi.post("/api/v1/messages", consent("enforcement.disclosure-consent.us-to-mx.json",
                    info, "GRANTED_WITH_CONDITIONS", null)));
            assertThat(Poll.until(WAIT, () -> Optional.of(json(hsi.get("/api/v1/messages/" + decision)))
                    .filter(s -> s.get("state").asText().equals("FAILED")))).as("refused by the MX gateway").isPresent();
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'PEER_REJECTED'"
                    + " AND error_code = 'unknown_original'")).isEqualTo(1);
            assertThat(pair.mx.count("SELECT COUNT(*) FROM disclosure_consent")).isZero();
        }
    }

    private static JsonNode check(AgencyClient client, String id, String recipient, String purpose) {
        HttpResponse<byte[]> r = ask(client, id, recipient, purpose);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return json(r);
    }

    private static HttpResponse<byte[]> ask(AgencyClient client, String id, String recipient, String purpose) {
        ObjectNode q = CanonicalJson.mapper().createObjectNode().put("messageId", id).put("recipient", recipient)
                .put("purpose", purpose);
        return client.post("/api/v1/disclosures/check", bytes(q));
    }

    private static void assertVerdict(JsonNode answer, boolean allowed, String reason) {
        assertThat(answer.get("allowed").asBoolean()).as(answer.toString()).isEqualTo(allowed);
        assertThat(answer.get("reason").asText()).as(answer.toString()).isEqualTo(reason);
    }

    private static byte[] consent(String sample, String original, String decision, LocalDate validUntil) {
        ObjectNode doc = sample(sample);
        ObjectNode p = (ObjectNode) doc.get("payload");
        p.put("originalMessageId", original);
        if (decision != null) {
            p.put("decision", decision);
            p.put("purpose", PURPOSE);
            if (validUntil == null) {
                p.remove("validUntil");
            } else {
                p.put("validUntil", validUntil.toString());
            }
            if (!decision.equals("GRANTED_WITH_CONDITIONS")) {
                p.remove("conditions");
            }
        }
        return bytes(doc);
    }

    private static void awaitRow(GatewayHarness g, String sql, String id, long n) {
        assertThat(Poll.until(WAIT, () -> Optional.of(g.count(sql, id)).filter(x -> x == n))).as(sql).isPresent();
    }

    private static ObjectNode sample(String name) {
        return (ObjectNode) read(SampleMessages.named(name).orElseThrow().bytes());
    }

    private static JsonNode read(byte[] b) {
        try {
            return CanonicalJson.mapper().readTree(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String accepted(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        return json(r).get("messageId").asText();
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String code) {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(text).isEqualTo(status);
        assertThat(json(r).get("code").asText()).as(text).isEqualTo(code);
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        return read(r.body());
    }
}
