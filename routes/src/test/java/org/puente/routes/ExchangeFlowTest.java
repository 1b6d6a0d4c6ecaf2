package org.puente.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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

class ExchangeFlowTest {
    @TempDir
    static Path dir;
    static GatewayPair gateways;
    static GatewayHarness us;
    static GatewayHarness mx;
    static AgencyClient cbp;
    static AgencyClient anam;

    @BeforeAll
    static void start() {
        gateways = GatewayPair.start(dir);
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

    @Test
    void a_manifest_from_cbp_reaches_the_anam_mailbox_byte_identical_and_its_delivery_comes_back() throws Exception {
        byte[] document = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        HttpResponse<byte[]> accepted = cbp.post("/api/v1/messages", document);
        assertThat(accepted.statusCode()).as(new String(accepted.body())).isEqualTo(202);
        String id = json(accepted.body()).get("messageId").asText();

        Optional<JsonNode> arrived = Poll.until(Duration.ofSeconds(20), () -> {
            JsonNode page = json(anam.get("/api/v1/inbox").body());
            for (JsonNode m : page.get("messages")) {
                if (m.get("messageId").asText().equals(id)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        });
        assertThat(arrived).isPresent();
        byte[] payload = anam.get("/api/v1/inbox/" + id + "/payload").body();
        byte[] submitted = SubmissionParser.payloadBytes(document, SubmissionParser.parse(document));
        assertThat(payload).isEqualTo(submitted);

        assertThat(anam.post("/api/v1/inbox/" + id + "/ack", new byte[0]).statusCode()).isEqualTo(200);
        Optional<String> delivered = Poll.until(Duration.ofSeconds(20), () -> {
            JsonNode status = json(cbp.get("/api/v1/messages/" + id).body());
            return "DELIVERED".equals(status.get("state").asText()) ? Optional.of("yes") : Optional.empty();
        });
        assertThat(delivered).isPresent();
        JsonNode status = json(cbp.get("/api/v1/messages/" + id).body());
        assertThat(status.get("history").findValuesAsText("status"))
                .containsExactly("ACCEPTED", "SENT", "RECEIPTED", "DELIVERED");
    }

    @Test
    void a_batch_answers_one_result_per_item_in_order_and_its_accepted_items_arrive() throws Exception {
        String manifest = new String(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String wrongCheckDigit = manifest.replace("UPRU3188069", "UPRU3188060");
        String batch = "{\"messages\":[{\"message\":" + manifest + "},"
                + "{\"idempotencyKey\":\"batch-test-1\",\"message\":" + manifest + "},"
                + "{\"message\":" + wrongCheckDigit + "}]}";

        HttpResponse<byte[]> answer = cbp.post("/api/v1/messages/batch", batch.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(200);
        JsonNode results = json(answer.body()).get("results");
        assertThat(results).hasSize(3);
        assertThat(results.findValuesAsText("index")).containsExactly("0", "1", "2");
        assertThat(results.get(0).get("status").asInt()).as(results.toString()).isEqualTo(202);
        assertThat(results.get(1).get("status").asInt()).isEqualTo(202);
        assertThat(results.get(2).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(2).get("error").get("code").asText()).isEqualTo("invalid_container_number");
        assertThat(results.get(2).get("error").get("problems").findValuesAsText("code")).contains("invalid_container_number");
        java.util.Set<String> ids = java.util.Set.of(results.get(0).get("messageId").asText(),
                results.get(1).get("messageId").asText());
        assertThat(ids).hasSize(2);

        java.util.Set<String> arrived = new java.util.HashSet<>();
        Optional<String> both = Poll.until(Duration.ofSeconds(20), () -> {
            for (JsonNode m : json(anam.get("/api/v1/inbox?limit=500").body()).get("messages")) {
                arrived.add(m.get("messageId").asText());
            }
            return arrived.containsAll(ids) ? Optional.of("yes") : Optional.empty();
        });
        assertThat(both).isPresent();

        // the item with an idempotency key, submitted again in a batch, answers the same message id
        HttpResponse<byte[]> again = cbp.post("/api/v1/messages/batch", ("{\"messages\":[{\"idempotencyKey\":\"batch-test-1\","
                + "\"message\":" + manifest + "}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(json(again.body()).get("results").get(0).get("messageId").asText())
                .isEqualTo(results.get(1).get("messageId").asText());
    }

    static JsonNode json(byte[] body) {
        try {
            return CanonicalJson.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(new String(body), e);
        }
    }
}
