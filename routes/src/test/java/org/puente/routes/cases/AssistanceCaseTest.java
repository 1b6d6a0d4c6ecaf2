package org.puente.routes.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * Mutual-assistance cases through both gateways: HSI's request opens the case on both sides, ANAM
 * defers and then answers it, a follow-up is linked, and both sides keep the same history and
 * audit it. Responses to an unknown, closed or other case are refused with their codes and leave
 * nothing stored; a deadline that passes unmet makes the case overdue on both sides.
 */
class AssistanceCaseTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void a_case_opens_on_both_sides_is_deferred_answered_and_linked_and_both_keep_its_history() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient hsi = pair.agencyClient(pair.us, "agency-ice-hsi");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            AgencyClient cbp = pair.agencyClient(pair.us, "agency-cbp");
            Instant confirmBy = Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            LocalDate respondBy = LocalDate.now(ZoneOffset.UTC).plusDays(10);
            String caseId = accepted(hsi.post("/api/v1/messages", request("HSI-LR-2026-0500", confirmBy, respondBy)));

            JsonNode opened = awaitCase(anam, caseId, "OPEN");
            assertThat(opened.get("role").asText()).isEqualTo("REQUESTED");
            assertThat(opened.get("reference").asText()).isEqualTo("HSI-LR-2026-0500");
            assertThat(opened.get("agency").asText()).isEqualTo("MX/ANAM");
            assertThat(opened.get("peerAgency").asText()).isEqualTo("US/ICE-HSI");
            assertThat(Instant.parse(opened.get("dueAt").asText())).as("an urgent request: confirm first").isEqualTo(confirmBy);
            assertThat(opened.get("overdue").asBoolean()).isFalse();
            assertThat(caseOf(hsi, caseId).get("role").asText()).isEqualTo("REQUESTING");
            assertThat(StreamSupport.stream(json(anam.get("/api/v1/cases")).get("cases").spliterator(), false)
                    .map(c -> c.get("caseId").asText())).containsExactly(caseId);
            assertError(cbp.get("/api/v1/cases/" + caseId), 404, "not_found");
            assertThat(json(cbp.get("/api/v1/cases?state=all")).get("cases")).isEmpty();
            assertError(anam.get("/api/v1/cases?state=closed"), 400, "value_not_allowed");

            LocalDate deferredUntil = LocalDate.now(ZoneOffset.UTC).plusDays(20);
            accepted(anam.post("/api/v1/messages", response(caseId, "HSI-LR-2026-0500", "DEFERRED", deferredUntil)));
            JsonNode deferred = awaitCase(hsi, caseId, "DEFERRED");
            assertThat(Instant.parse(deferred.get("dueAt").asText()))
                    .isEqualTo(deferredUntil.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            assertThat(caseOf(anam, caseId).get("state").asText()).isEqualTo("DEFERRED");

            String followUp = accepted(hsi.post("/api/v1/messages", followUp("HSI-LR-2026-0500")));
            byte[] closing = response(caseId, "HSI-LR-2026-0500", "FULFILLED", null);
            String answer = accepted(anam.post("/api/v1/messages", closing, "Idempotency-Key", "anam-answer-0500"));
            JsonNode closed = awaitCase(hsi, caseId, "CLOSED");
            // a retry of the closing response is its first answer again, not case_closed
            HttpResponse<byte[]> retry = anam.post("/api/v1/messages", closing, "Idempotency-Key", "anam-answer-0500");
            assertThat(retry.statusCode()).as(new String(retry.body(), StandardCharsets.UTF_8)).isEqualTo(202);
            assertThat(json(retry).get("messageId").asText()).isEqualTo(answer);
            assertThat(json(retry).get("replayed").asBoolean()).isTrue();
            // and the peer's retry of its envelope (its answer lost) gets the original receipt, not a rejection
            byte[] envelope = pair.mx.bytes("SELECT envelope FROM outbox WHERE message_id = ?", answer);
            org.puente.engine.outbound.OutboxEntry sent = pair.mx.gateway().transactions()
                    .read(c -> new org.puente.engine.outbound.OutboxStore(null).find(c, UUID.fromString(answer))).orElseThrow();
            org.puente.engine.peer.PeerProtocol.ResultBatch again = pair.us.gateway().receiver().receive(
                    new org.puente.engine.peer.PeerProtocol.EnvelopeBatch(List.of(
                            new org.puente.engine.peer.PeerProtocol.EnvelopeItem(sent.header(), envelope))));
            assertThat(again.results().get(0).receipt())
                    .isEqualTo(pair.us.bytes("SELECT receipt FROM inbox WHERE message_id = ?", answer));
            assertThat(closed.get("outcome").asText()).isEqualTo("FULFILLED");
            assertThat(closed.has("dueAt")).isFalse();
            awaitEvents(anam, caseId, 4);
            for (AgencyClient side : List.of(hsi, anam)) {
                JsonNode history = awaitEvents(side, caseId, 4).get("history");
                assertThat(StreamSupport.stream(history.spliterator(), false).map(e -> e.get("event").asText()).sorted())
                        .containsExactly("ANSWERED", "DEFERRED", "FOLLOW_UP", "OPENED");
                JsonNode last = StreamSupport.stream(history.spliterator(), false)
                        .filter(e -> e.get("event").asText().equals("ANSWERED")).findFirst().orElseThrow();
                assertThat(last.get("messageId").asText()).isEqualTo(answer);
                assertThat(last.get("detail").asText()).isEqualTo("FULFILLED on time");
                assertThat(StreamSupport.stream(history.spliterator(), false)
                        .filter(e -> e.get("event").asText().equals("FOLLOW_UP")).findFirst().orElseThrow()
                        .get("messageId").asText()).isEqualTo(followUp);
            }
            for (GatewayHarness g : List.of(pair.us, pair.mx)) {
                for (String event : List.of("CASE_OPENED", "CASE_DEFERRED", "CASE_CLOSED", "CASE_FOLLOW_UP")) {
                    assertThat(g.count("SELECT COUNT(*) FROM audit_event WHERE event = ? AND detail LIKE ?", event,
                            "case " + caseId + ":%")).as(event).isEqualTo(1);
                }
            }
            assertThat(json(anam.get("/api/v1/cases")).get("cases")).as("closed cases leave the open list").isEmpty();
            assertThat(json(anam.get("/api/v1/cases?state=all")).get("cases")).hasSize(1);

            // a closed case takes no further response: refused, audited, nothing stored
            long outbox = pair.mx.count("SELECT COUNT(*) FROM outbox");
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'REJECTED' AND error_code = ?",
                    "case_closed")).isZero();
            assertError(anam.post("/api/v1/messages", response(caseId, "HSI-LR-2026-0500", "PARTIAL", null)), 409,
                    "case_closed");
            assertError(anam.post("/api/v1/messages", response(UUID.randomUUID().toString(), "HSI-LR-2026-0500",
                    "FULFILLED", null)), 409, "unknown_case");
            assertThat(pair.mx.count("SELECT COUNT(*) FROM outbox")).isEqualTo(outbox);
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'REJECTED' AND error_code = ?",
                    "case_closed")).isEqualTo(1);
        }
    }

    @Test
    void two_responses_closing_one_case_in_one_batch_the_second_is_refused_in_its_unit_and_audited() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient hsi = pair.agencyClient(pair.us, "agency-ice-hsi");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            String caseId = accepted(hsi.post("/api/v1/messages", request("HSI-LR-2026-0504",
                    Instant.now().plus(Duration.ofDays(1)), LocalDate.now(ZoneOffset.UTC).plusDays(10))));
            awaitCase(anam, caseId, "OPEN");
            // both pass the check before the unit of work; the writer runs them in turn, so the second finds the case closed
            String batch = "{\"messages\":[{\"message\":" + new String(response(caseId, "HSI-LR-2026-0504", "FULFILLED", null),
                    StandardCharsets.UTF_8) + "},{\"message\":" + new String(response(caseId, "HSI-LR-2026-0504", "PARTIAL",
                    null), StandardCharsets.UTF_8) + "}]}";
            HttpResponse<byte[]> r = anam.post("/api/v1/messages/batch", batch.getBytes(StandardCharsets.UTF_8));
            JsonNode results = json(r).get("results");
            assertThat(results.get(0).get("status").asInt()).as(results.toString()).isEqualTo(202);
            assertThat(results.get(1).get("status").asInt()).as(results.toString()).isEqualTo(409);
            assertThat(results.get(1).get("error").get("code").asText()).isEqualTo("case_closed");
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'REJECTED' AND error_code = ?",
                    "case_closed")).isEqualTo(1);
            assertThat(pair.mx.count("SELECT COUNT(*) FROM case_event WHERE case_id = ?", caseId)).isEqualTo(2);
        }
    }

    @Test
    void a_response_that_does_not_match_its_case_is_refused_and_changes_nothing() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient hsi = pair.agencyClient(pair.us, "agency-ice-hsi");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            String caseId = accepted(hsi.post("/api/v1/messages", request("HSI-LR-2026-0501",
                    Instant.now().plus(Duration.ofDays(1)), LocalDate.now(ZoneOffset.UTC).plusDays(10))));
            awaitCase(anam, caseId, "OPEN");
            assertError(anam.post("/api/v1/messages", response(caseId, "HSI-LR-2026-9999", "FULFILLED", null)), 409,
                    "case_mismatch");
            // a US agency cannot answer a request the US made
            assertError(pair.agencyClient(pair.us, "agency-cbp").post("/api/v1/messages", usResponse(caseId)), 409,
                    "unknown_case");
            assertThat(caseOf(anam, caseId).get("state").asText()).isEqualTo("OPEN");
            assertThat(pair.mx.count("SELECT COUNT(*) FROM case_event WHERE case_id = ?", caseId)).isEqualTo(1);
        }
    }

    @Test
    void the_receiving_gateway_refuses_a_response_to_a_case_it_does_not_have_with_a_signed_rejection() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient hsi = pair.agencyClient(pair.us, "agency-ice-hsi");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            String caseId = accepted(hsi.post("/api/v1/messages", request("HSI-LR-2026-0502",
                    Instant.now().plus(Duration.ofDays(1)), LocalDate.now(ZoneOffset.UTC).plusDays(10))));
            awaitCase(anam, caseId, "OPEN");
            // the US row is removed behind the gateway's back: the US side no longer knows the case
            pair.us.execute("DELETE FROM assistance_case WHERE case_id = ?", caseId);

            String response = accepted(anam.post("/api/v1/messages", response(caseId, "HSI-LR-2026-0502", "FULFILLED",
                    null)));
            JsonNode status = Poll.until(WAIT, () -> Optional.of(json(anam.get("/api/v1/messages/" + response)))
                    .filter(s -> s.get("state").asText().equals("FAILED"))).orElseThrow();
            assertThat(StreamSupport.stream(status.get("history").spliterator(), false)
                    .anyMatch(h -> "unknown_case".equals(h.path("errorCode").asText()))).as(status.toString()).isTrue();
            assertThat(pair.us.count("SELECT COUNT(*) FROM inbox WHERE message_id = ?", response)).isZero();
            assertThat(pair.us.count("SELECT COUNT(*) FROM audit_event WHERE event = 'PEER_REJECTED' AND error_code = ?",
                    "unknown_case")).isEqualTo(1);
        }
    }

    @Test
    void a_deadline_that_passes_unmet_makes_the_case_overdue_on_both_sides_and_is_audited() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient hsi = pair.agencyClient(pair.us, "agency-ice-hsi");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            Instant confirmBy = Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            String caseId = accepted(hsi.post("/api/v1/messages", request("HSI-LR-2026-0503", confirmBy,
                    LocalDate.now(ZoneOffset.UTC).plusDays(10))));
            for (AgencyClient side : List.of(anam, hsi)) {
                JsonNode k = Poll.until(WAIT, () -> Optional.ofNullable(caseOf(side, caseId))
                        .filter(c -> c.get("overdue").asBoolean()))
                        .orElseThrow(() -> new AssertionError("never overdue"));
                assertThat(k.get("state").asText()).isEqualTo("OPEN");
                JsonNode history = json(side.get("/api/v1/cases/" + caseId)).get("history");
                assertThat(history.get(history.size() - 1).get("event").asText()).isEqualTo("OVERDUE");
                assertThat(Instant.parse(history.get(history.size() - 1).get("at").asText())).isAfterOrEqualTo(confirmBy);
            }
            for (GatewayHarness g : List.of(pair.us, pair.mx)) {
                assertThat(g.count("SELECT COUNT(*) FROM audit_event WHERE event = 'CASE_OVERDUE' AND message_id = ?",
                        caseId)).isEqualTo(1);
            }
            // what the operators see: the gauge behind the PuenteAssistanceCaseOverdue alert
            AgencyClient operator = AgencyClient.sample(pair.pki, Country.MX, "operator", pair.mx.ports().ops());
            assertThat(Poll.until(WAIT, () -> Optional.of(new String(operator.get("/ops/v1/metrics").body(),
                    StandardCharsets.UTF_8)).filter(m -> m.contains(
                    "gateway_cases_overdue{country=\"MX\",role=\"requested\"} 1.0")))).as("overdue gauge").isPresent();
            // answered late: the case closes, the answer says so, the overdue mark goes
            accepted(anam.post("/api/v1/messages", response(caseId, "HSI-LR-2026-0503", "REFUSED", null)));
            JsonNode closed = awaitCase(hsi, caseId, "CLOSED");
            assertThat(closed.get("overdue").asBoolean()).isFalse();
            JsonNode history = json(hsi.get("/api/v1/cases/" + caseId)).get("history");
            assertThat(history.get(history.size() - 1).get("detail").asText()).isEqualTo("REFUSED late");
        }
    }

    static byte[] request(String reference, Instant confirmBy, LocalDate respondBy) {
        ObjectNode doc = sample("enforcement.assistance-request.us-to-mx.json");
        doc.put("correlationId", reference);
        ObjectNode p = (ObjectNode) doc.get("payload");
        p.put("requestReference", reference);
        p.put("confirmationDeadline", confirmBy.toString());
        p.put("responseRequestedBy", respondBy.toString());
        return bytes(doc);
    }

    static byte[] response(String caseId, String reference, String outcome, LocalDate deferredUntil) {
        ObjectNode doc = sample("enforcement.assistance-response.mx-to-us.json");
        doc.put("correlationId", reference);
        ObjectNode p = (ObjectNode) doc.get("payload");
        p.put("requestMessageId", caseId);
        p.put("requestReference", reference);
        p.put("outcome", outcome);
        if (deferredUntil != null) {
            p.put("deferredUntil", deferredUntil.toString());
        }
        return bytes(doc);
    }

    private static byte[] usResponse(String caseId) {
        ObjectNode doc = sample("enforcement.assistance-response.us-to-mx.json");
        ObjectNode p = (ObjectNode) doc.get("payload");
        p.put("requestMessageId", caseId);
        return bytes(doc);
    }

    private static byte[] followUp(String reference) {
        ObjectNode doc = sample("enforcement.spontaneous-information.us-to-mx.json");
        doc.put("correlationId", reference);
        return bytes(doc);
    }

    private static ObjectNode sample(String name) {
        try {
            return (ObjectNode) CanonicalJson.mapper().readTree(SampleMessages.named(name).orElseThrow().bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String accepted(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        return json(r).get("messageId").asText();
    }

    private static JsonNode caseOf(AgencyClient client, String caseId) {
        HttpResponse<byte[]> r = client.get("/api/v1/cases/" + caseId);
        return r.statusCode() == 200 ? json(r).get("assistanceCase") : null;
    }

    private static JsonNode awaitCase(AgencyClient client, String caseId, String state) {
        return Poll.until(WAIT, () -> Optional.ofNullable(caseOf(client, caseId))
                .filter(c -> c.get("state").asText().equals(state)))
                .orElseThrow(() -> new AssertionError(caseId + " never " + state));
    }

    private static JsonNode awaitEvents(AgencyClient client, String caseId, int n) {
        return Poll.until(WAIT, () -> Optional.of(json(client.get("/api/v1/cases/" + caseId)))
                .filter(c -> c.has("history") && c.get("history").size() >= n))
                .orElseThrow(() -> new AssertionError(caseId + " never had " + n + " events"));
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String code) {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(text).isEqualTo(status);
        assertThat(json(r).get("code").asText()).as(text).isEqualTo(code);
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return CanonicalJson.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
