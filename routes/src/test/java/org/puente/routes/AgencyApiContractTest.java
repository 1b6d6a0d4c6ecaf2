package org.puente.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.CanonicalJson;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyApiContract;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * The agency API answers what its OpenAPI document promises: real calls to two gateways over
 * mutual TLS (accepted, replayed, batch, status with a whole history, mailbox page, one message,
 * payload, acknowledgement, and the 400, 403, 404, 409, 413 and 415 refusals), each body checked
 * against the schema the document declares for that operation and status
 * ({@link AgencyApiContract}: closed objects, formats asserted). A field renamed, dropped or added
 * in the code, or in the document, fails here.
 */
class AgencyApiContractTest {
    private static final String MESSAGES = "/api/v1/messages";
    private static final String BATCH = "/api/v1/messages/batch";
    private static final String STATUS = "/api/v1/messages/{id}";
    private static final String INBOX = "/api/v1/inbox";
    private static final String INBOX_MESSAGE = "/api/v1/inbox/{id}";
    private static final String PAYLOAD = "/api/v1/inbox/{id}/payload";
    private static final String ACK = "/api/v1/inbox/{id}/ack";
    private static final String MANIFEST = new String(
            SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes(), StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static GatewayPair gateways;
    static GatewayHarness us;
    static AgencyClient cbp;
    static AgencyClient anam;
    static AgencyApiContract contract;

    @BeforeAll
    static void start() {
        // a small payload limit, so that a 413 needs only a 100 kB document
        gateways = GatewayPair.start(dir, Map.of("puente.limits.max-payload-bytes", "65536"), Map.of());
        us = gateways.us;
        cbp = gateways.agencyClient(us, "agency-cbp");
        anam = gateways.agencyClient(gateways.mx, "agency-anam");
        contract = AgencyApiContract.load();
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
    }

    @Test
    void a_submission_its_idempotent_retry_and_its_pending_status_answer_as_the_document_declares() {
        String key = "contract-" + UUID.randomUUID();

        HttpResponse<byte[]> first = cbp.post(MESSAGES, bytes(MANIFEST), "Idempotency-Key", key);
        JsonNode accepted = contract.assertAnswers("post", MESSAGES, 202, first);
        JsonNode replayed = contract.assertAnswers("post", MESSAGES, 202, cbp.post(MESSAGES, bytes(MANIFEST), "Idempotency-Key", key));
        JsonNode status = contract.assertAnswers("get", STATUS, 200, cbp.get(accepted.get("statusUrl").asText()));

        assertThat(first.headers().firstValue("Location")).as("the declared Location header, made absolute")
                .hasValue("https://localhost:" + us.ports().agency() + accepted.get("statusUrl").asText());
        assertThat(accepted.get("replayed").asBoolean()).isFalse();
        assertThat(replayed.get("replayed").asBoolean()).isTrue();
        assertThat(replayed.get("messageId")).isEqualTo(accepted.get("messageId"));
        assertThat(status.get("messageId")).isEqualTo(accepted.get("messageId"));
        assertThat(status.get("history").get(0).get("status").asText()).isEqualTo("ACCEPTED");
    }

    @Test
    void a_message_s_mailbox_page_message_payload_acknowledgements_and_delivered_status_answer_as_the_document_declares() {
        String id = submit(MANIFEST);
        JsonNode page = Poll.until(Duration.ofSeconds(20), () -> {
            HttpResponse<byte[]> r = anam.get(INBOX + "?limit=500");
            return json(r.body()).path("messages").findValuesAsText("messageId").contains(id) ? Optional.of(r) : Optional.empty();
        }).map(r -> contract.assertAnswers("get", INBOX, 200, r)).orElseThrow(() -> new AssertionError(id + " never reached ANAM"));
        JsonNode message = contract.assertAnswers("get", INBOX_MESSAGE, 200, anam.get(INBOX + "/" + id));
        contract.assertAnswers("get", PAYLOAD, 200, anam.get(INBOX + "/" + id + "/payload"));
        JsonNode ack = contract.assertAnswers("post", ACK, 200, anam.post(INBOX + "/" + id + "/ack", new byte[0]));
        JsonNode again = contract.assertAnswers("post", ACK, 200, anam.post(INBOX + "/" + id + "/ack", new byte[0]));
        JsonNode delivered = Poll.until(Duration.ofSeconds(20), () -> {
            HttpResponse<byte[]> r = cbp.get(MESSAGES + "/" + id);
            return "DELIVERED".equals(json(r.body()).path("state").asText()) ? Optional.of(r) : Optional.empty();
        }).map(r -> contract.assertAnswers("get", STATUS, 200, r)).orElseThrow(() -> new AssertionError(id + " never DELIVERED"));

        assertThat(page.get("next").asLong()).isPositive();
        assertThat(message.get("header").get("messageId").asText()).isEqualTo(id);
        assertThat(message.get("acknowledged").asBoolean()).isFalse();
        assertThat(ack.get("acknowledged").asBoolean()).isTrue();
        assertThat(again).as("acknowledging again answers the same").isEqualTo(ack);
        assertThat(delivered.get("history").findValuesAsText("status")).containsExactly("ACCEPTED", "SENT", "RECEIPTED", "DELIVERED");
    }

    @Test
    void a_batch_answer_with_an_accepted_and_a_refused_item_matches_the_document() {
        String batch = "{\"messages\":[{\"message\":" + MANIFEST + "},{\"message\":" + wrongCheckDigit() + "}]}";

        JsonNode answer = contract.assertAnswers("post", BATCH, 200, cbp.post(BATCH, bytes(batch)));

        assertThat(answer.get("results").findValuesAsText("status")).containsExactly("202", "400");
        assertThat(answer.get("results").get(1).get("error").get("code").asText()).isEqualTo("invalid_container_number");
    }

    @Test
    void an_invalid_submission_is_answered_400_invalid_container_number_with_its_problems_as_the_document_declares() {
        HttpResponse<byte[]> r = cbp.post(MESSAGES, bytes(wrongCheckDigit()));

        JsonNode error = contract.assertAnswers("post", MESSAGES, 400, r);

        assertThat(error.get("code").asText()).isEqualTo("invalid_container_number");
        assertThat(error.get("problems").findValuesAsText("pointer")).contains("/payload/equipment/0/containerNumber");
    }

    @Test
    void a_document_naming_another_sender_is_answered_403_sender_mismatch_as_the_document_declares() {
        ObjectNode doc = (ObjectNode) json(bytes(MANIFEST));
        ((ObjectNode) doc.get("sender")).put("agency", "ICE-HSI");
        HttpResponse<byte[]> r = cbp.post(MESSAGES, CanonicalJson.bytes(doc));

        JsonNode error = contract.assertAnswers("post", MESSAGES, 403, r);

        assertThat(error.get("code").asText()).isEqualTo("sender_mismatch");
    }

    @Test
    void an_unknown_message_is_answered_404_not_found_by_status_mailbox_and_acknowledgement_as_the_document_declares() {
        String unknown = UUID.randomUUID().toString();

        for (Map.Entry<String, HttpResponse<byte[]>> call : Map.of(
                STATUS, cbp.get(MESSAGES + "/" + unknown),
                INBOX_MESSAGE, anam.get(INBOX + "/" + unknown),
                PAYLOAD, anam.get(INBOX + "/" + unknown + "/payload")).entrySet()) {
            JsonNode error = contract.assertAnswers("get", call.getKey(), 404, call.getValue());
            assertThat(error.get("code").asText()).as(call.getKey()).isEqualTo("not_found");
        }
        HttpResponse<byte[]> ack = anam.post(INBOX + "/" + unknown + "/ack", new byte[0]);
        JsonNode error = contract.assertAnswers("post", ACK, 404, ack);
        assertThat(error.get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void a_caller_that_is_not_an_agency_is_answered_403_forbidden_by_every_mailbox_operation_as_the_document_declares() {
        AgencyClient operator = AgencyClient.sample(gateways.pki, gateways.mx.country(), "operator", gateways.mx.ports().agency());
        String any = UUID.randomUUID().toString();

        for (Map.Entry<String, HttpResponse<byte[]>> call : Map.of(
                INBOX, operator.get(INBOX),
                INBOX_MESSAGE, operator.get(INBOX + "/" + any),
                PAYLOAD, operator.get(INBOX + "/" + any + "/payload")).entrySet()) {
            JsonNode error = contract.assertAnswers("get", call.getKey(), 403, call.getValue());
            assertThat(error.get("code").asText()).as(call.getKey()).isEqualTo("forbidden");
        }
        JsonNode error = contract.assertAnswers("post", ACK, 403, operator.post(INBOX + "/" + any + "/ack", new byte[0]));
        assertThat(error.get("code").asText()).isEqualTo("forbidden");
    }

    @Test
    void a_mailbox_position_that_is_not_a_whole_number_is_answered_400_wrong_type_as_the_document_declares() {
        for (String query : java.util.List.of("?after=-1", "?after=first", "?limit=many")) {
            JsonNode error = contract.assertAnswers("get", INBOX, 400, anam.get(INBOX + query));
            assertThat(error.get("code").asText()).as(query).isEqualTo("wrong_type");
        }
    }

    @Test
    void an_idempotency_key_reused_for_another_document_is_answered_409_idempotency_conflict_as_the_document_declares() {
        String key = "contract-" + UUID.randomUUID();
        submit(MANIFEST, "Idempotency-Key", key);
        ObjectNode other = (ObjectNode) json(bytes(MANIFEST));
        other.put("correlationId", "contract-other-document");

        HttpResponse<byte[]> r = cbp.post(MESSAGES, CanonicalJson.bytes(other), "Idempotency-Key", key);

        JsonNode error = contract.assertAnswers("post", MESSAGES, 409, r);
        assertThat(error.get("code").asText()).isEqualTo("idempotency_conflict");
    }

    @Test
    void a_document_above_the_payload_limit_is_answered_413_payload_too_large_as_the_document_declares() {
        ObjectNode big = (ObjectNode) json(bytes(MANIFEST));
        ((ObjectNode) big.get("payload")).put("remarks", "x".repeat(100_000));
        HttpResponse<byte[]> r = cbp.post(MESSAGES, CanonicalJson.bytes(big));

        JsonNode error = contract.assertAnswers("post", MESSAGES, 413, r);

        assertThat(error.get("code").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void a_submission_that_is_not_json_is_answered_415_unsupported_media_type_as_the_document_declares() {
        HttpResponse<byte[]> r = cbp.send(HttpRequest.newBuilder(URI.create("https://localhost:" + us.ports().agency() + MESSAGES))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(MANIFEST)));

        JsonNode error = contract.assertAnswers("post", MESSAGES, 415, r);

        assertThat(error.get("code").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void the_gateway_serves_the_checked_in_document_itself() {
        HttpResponse<byte[]> r = cbp.get("/api/v1/openapi.json");

        contract.assertAnswers("get", "/api/v1/openapi.json", 200, r);

        assertThat(r.body()).isEqualTo(AgencyApiContract.resource());
    }

    @Test
    void the_contract_refuses_an_answer_with_a_field_renamed_added_dropped_or_of_the_wrong_form() {
        // the checks above are only as good as the contract's teeth: a conforming body, then one drift at a time
        ObjectNode good = (ObjectNode) json(bytes("{\"messageId\":\"" + UUID.randomUUID()
                + "\",\"replayed\":false,\"status\":\"ACCEPTED\",\"statusUrl\":\"/api/v1/messages/x\"}"));
        assertThat(violations(good)).isEmpty();

        ObjectNode renamed = good.deepCopy();
        renamed.set("statusURL", renamed.remove("statusUrl"));
        ObjectNode added = good.deepCopy().put("queuedAt", "2026-11-28T20:14:36Z");
        ObjectNode dropped = good.deepCopy();
        dropped.remove("replayed");
        ObjectNode notUuid = good.deepCopy().put("messageId", "42");
        ObjectNode notInEnum = good.deepCopy().put("status", "QUEUED");

        assertThat(violations(renamed)).anySatisfy(v -> assertThat(v).contains("statusUrl"))
                .anySatisfy(v -> assertThat(v).contains("statusURL"));
        assertThat(violations(added)).singleElement().satisfies(v -> assertThat(v).contains("queuedAt"));
        assertThat(violations(dropped)).singleElement().satisfies(v -> assertThat(v).contains("replayed"));
        assertThat(violations(notUuid)).singleElement().satisfies(v -> assertThat(v).contains("/messageId", "uuid"));
        assertThat(violations(notInEnum)).singleElement().satisfies(v -> assertThat(v).contains("/status"));
        assertThat(contract.violations("post", MESSAGES, 418, CanonicalJson.bytes(good)))
                .containsExactly("the document declares no answer 418 to post " + MESSAGES);
    }

    private static java.util.List<String> violations(JsonNode accepted) {
        return contract.violations("post", MESSAGES, 202, CanonicalJson.bytes(accepted));
    }

    private static String submit(String document, String... headers) {
        HttpResponse<byte[]> r = cbp.post(MESSAGES, bytes(document), headers);
        return contract.assertAnswers("post", MESSAGES, 202, r).get("messageId").asText();
    }

    private static String wrongCheckDigit() {
        return MANIFEST.replace("UPRU3188069", "UPRU3188060");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(byte[] body) {
        return ExchangeFlowTest.json(body);
    }
}
