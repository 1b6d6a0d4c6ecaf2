package org.puente.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.model.CanonicalJson;
import org.puente.model.answer.BusinessAnswer;
import org.puente.model.answer.BusinessStatus;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * Business answers through both gateways: ANAM answers messages CBP sent, the answer travels back
 * signed by the Mexican gateway, and CBP sees it in its status history; the audit logs of both
 * sides hold it. Every malformed or conflicting answer is refused with its code and leaves nothing
 * stored; only the receiving agency can answer.
 */
class BusinessAnswerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REFUSAL = "{\"status\":\"REFUSED\",\"reasons\":[{\"code\":\"hs_code_unknown\","
            + "\"text\":\"Shipment 1: HS code 999999 is not in the tariff.\",\"pointer\":\"/payload/shipments/0\"}]}";

    @TempDir
    Path dir;

    @Test
    void an_answer_travels_back_signed_into_the_senders_history_and_both_audit_logs() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient cbp = pair.agencyClient(pair.us, "agency-cbp");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            String refused = submit(cbp);
            String accepted = submit(cbp);
            awaitStored(pair.mx, refused);
            awaitStored(pair.mx, accepted);

            HttpResponse<byte[]> answered = anam.post(answer(refused), bytes(REFUSAL));
            assertThat(answered.statusCode()).as(text(answered)).isEqualTo(200);
            assertThat(json(answered).get("status").asText()).isEqualTo("REFUSED");
            assertThat(anam.post(answer(refused), bytes(REFUSAL)).statusCode()).as("the same answer again").isEqualTo(200);
            assertError(anam.post(answer(refused), bytes("{\"status\":\"ACCEPTED\"}")), 409, "answer_conflict");
            // answered before it is acknowledged, then acknowledged: both reach the sender
            assertThat(anam.post(answer(accepted), bytes("{\"status\":\"ACCEPTED\"}")).statusCode()).isEqualTo(200);
            assertThat(anam.post("/api/v1/inbox/" + accepted + "/ack", new byte[0]).statusCode()).isEqualTo(200);

            JsonNode status = awaitHistory(cbp, refused, "ANSWERED");
            assertThat(status.get("answer").get("status").asText()).isEqualTo("REFUSED");
            assertThat(status.get("answer").get("agency").asText()).isEqualTo("ANAM");
            assertThat(status.get("answer").get("reasons").get(0).get("pointer").asText()).isEqualTo("/payload/shipments/0");
            assertThat(step(status, "ANSWERED").get("detail").asText())
                    .isEqualTo("REFUSED: hs_code_unknown (Shipment 1: HS code 999999 is not in the tariff.)");
            JsonNode both = awaitHistory(cbp, accepted, "DELIVERED");
            awaitHistory(cbp, accepted, "ANSWERED");
            assertThat(both.get("state").asText()).isEqualTo("DELIVERED");

            // the sender keeps the Mexican gateway's signed notice as proof of the answer
            DeliveryNotice proof = pair.us.gateway().envelopes().verifyNotice(pair.us.bytes("SELECT notice FROM business_answer WHERE message_id = ?", refused));
            assertThat(proof.status()).isEqualTo(DeliveryNotice.ANSWERED);
            assertThat(proof.answer()).isEqualTo(CanonicalJson.read(bytes(REFUSAL), BusinessAnswer.class));
            assertThat(proof.answer().status()).isEqualTo(BusinessStatus.REFUSED);
            assertThat(pair.us.count("SELECT COUNT(*) FROM audit_event WHERE event = 'ANSWER_RECEIVED' AND message_id = ?",
                    UUID.fromString(refused).toString())).isEqualTo(1);
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'ANSWER_GIVEN' AND message_id = ?"
                    + " AND detail LIKE 'REFUSED: hs_code_unknown%'", refused)).isEqualTo(1);
            assertThat(Poll.until(WAIT, () -> Optional.of(pair.mx.count("SELECT COUNT(*) FROM business_answer"
                    + " WHERE sent_at IS NOT NULL")).filter(n -> n == 2))).as("both answers recorded as sent").isPresent();
            assertThat(pair.mx.count("SELECT COUNT(*) FROM work WHERE state = 'DEAD'")).isZero();
        }
    }

    @Test
    void every_bad_answer_is_refused_with_its_code_and_leaves_nothing_stored() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient cbp = pair.agencyClient(pair.us, "agency-cbp");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            AgencyClient sat = pair.agencyClient(pair.mx, "agency-sat");
            String id = submit(cbp);
            awaitStored(pair.mx, id);

            for (String bad : List.of("{\"status\":\"MAYBE\"}", "{\"reasons\":[]}", "{\"status\":\"REFUSED\"}",
                    "{\"status\":\"REFUSED\",\"reasons\":[{\"code\":\"Bad Code\",\"text\":\"x\"}]}",
                    "{\"status\":\"REFUSED\",\"reasons\":[{\"code\":\"ok\",\"text\":\"\"}]}",
                    "{\"status\":\"REFUSED\",\"reasons\":[{\"code\":\"ok\",\"text\":\"line\\nbreak\"}]}",
                    "{\"status\":\"ACCEPTED\",\"extra\":1}", "[]", "not json")) {
                assertError(anam.post(answer(id), bytes(bad)), 400, "invalid_answer");
            }
            assertError(anam.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "https://localhost:" + pair.mx.ports().agency() + answer(id))).header("Content-Type", "text/plain")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"status\":\"ACCEPTED\"}"))), 415,
                    "unsupported_media_type");
            assertError(sat.post(answer(id), bytes("{\"status\":\"ACCEPTED\"}")), 404, "not_found");
            assertError(anam.post(answer(UUID.randomUUID().toString()), bytes("{\"status\":\"ACCEPTED\"}")), 404, "not_found");
            assertError(cbp.post(answer(id), bytes("{\"status\":\"ACCEPTED\"}")), 404, "not_found");

            assertThat(pair.mx.count("SELECT COUNT(*) FROM business_answer")).isZero();
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'ANSWER_GIVEN'")).isZero();
            assertThat(pair.mx.count("SELECT COUNT(*) FROM work WHERE kind = 'BUSINESS_ANSWER'")).isZero();
        }
    }

    private static String answer(String id) {
        return "/api/v1/inbox/" + id + "/answer";
    }

    private static String submit(AgencyClient client) {
        HttpResponse<byte[]> r = client.post("/api/v1/messages",
                SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes());
        assertThat(r.statusCode()).as(text(r)).isEqualTo(202);
        return json(r).get("messageId").asText();
    }

    private static void awaitStored(GatewayHarness receiver, String id) {
        assertThat(Poll.until(WAIT, () -> Optional.of(receiver.count("SELECT COUNT(*) FROM inbox WHERE message_id = ?", id))
                .filter(n -> n == 1))).as(id).isPresent();
    }

    private static JsonNode awaitHistory(AgencyClient sender, String id, String wanted) {
        return Poll.until(WAIT, () -> {
            JsonNode s = json(sender.get("/api/v1/messages/" + id));
            return step(s, wanted) == null ? Optional.<JsonNode>empty() : Optional.of(s);
        }).orElseThrow(() -> new AssertionError(id + " never showed " + wanted));
    }

    private static JsonNode step(JsonNode status, String wanted) {
        return StreamSupport.stream(status.get("history").spliterator(), false)
                .filter(h -> wanted.equals(h.get("status").asText())).findFirst().orElse(null);
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String code) {
        assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
        assertThat(json(r).get("code").asText()).as(text(r)).isEqualTo(code);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return CanonicalJson.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
