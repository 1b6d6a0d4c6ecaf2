package org.puente.routes.withdrawal;

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
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * Cancel and replace through both gateways: CBP cancels one manifest and replaces another, ANAM's
 * mailbox shows the cancellation and the replacement (linked), the Mexican gateway keeps the
 * signed notices, and both audit logs hold them. A withdrawal made while the message is still on
 * its way reaches the receiver after it. Every bad withdrawal is refused with its code and stores
 * nothing.
 */
class WithdrawalTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void a_cancellation_and_a_replacement_reach_the_receivers_mailbox_signed_and_audited_on_both_sides() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient cbp = pair.agencyClient(pair.us, "agency-cbp");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            String cancelled = submit(cbp);
            String replaced = submit(cbp);
            String replacement = submit(cbp);
            awaitStored(pair.mx, cancelled);
            awaitStored(pair.mx, replaced);

            JsonNode c = ok(cbp.post(cancel(cancelled), bytes("{\"reason\":\"Trip cancelled by the carrier.\"}")));
            assertThat(c.get("kind").asText()).isEqualTo("CANCELLED");
            assertThat(ok(cbp.post(cancel(cancelled), bytes("{\"reason\":\"Trip cancelled by the carrier.\"}")))
                    .get("kind").asText()).as("the same again").isEqualTo("CANCELLED");
            assertError(cbp.post(cancel(cancelled), bytes("{\"reason\":\"Another reason.\"}")), 409, "withdrawal_conflict");
            JsonNode r = ok(cbp.post(replace(replaced), bytes("{\"reason\":\"Wrong gross weight in shipment 1.\","
                    + "\"replacement\":\"" + replacement + "\"}")));
            assertThat(r.get("kind").asText()).isEqualTo("REPLACED");
            assertThat(r.get("replacement").asText()).isEqualTo(replacement);

            JsonNode seenCancelled = awaitWithdrawal(anam, cancelled);
            assertThat(seenCancelled.get("kind").asText()).isEqualTo("CANCELLED");
            assertThat(seenCancelled.get("reason").asText()).isEqualTo("Trip cancelled by the carrier.");
            JsonNode seenReplaced = awaitWithdrawal(anam, replaced);
            assertThat(seenReplaced.get("kind").asText()).isEqualTo("REPLACED");
            assertThat(seenReplaced.get("replacement").asText()).isEqualTo(replacement);
            assertThat(json(anam.get("/api/v1/inbox/" + replacement)).has("withdrawal")).isFalse();

            // the sender sees the step in its history; the receiver keeps the signed notice as proof
            assertThat(step(json(cbp.get("/api/v1/messages/" + cancelled)), "CANCELLED").get("detail").asText())
                    .isEqualTo("cancelled: Trip cancelled by the carrier.");
            assertThat(step(json(cbp.get("/api/v1/messages/" + replaced)), "REPLACED").get("detail").asText())
                    .isEqualTo("replaced by " + replacement + ": Wrong gross weight in shipment 1.");
            DeliveryNotice proof = pair.mx.gateway().envelopes().verifyNotice(
                    pair.mx.bytes("SELECT notice FROM message_withdrawal WHERE message_id = ?", replaced));
            assertThat(proof.status()).isEqualTo(DeliveryNotice.REPLACED);
            assertThat(proof.withdrawal().replacement()).isEqualTo(UUID.fromString(replacement));
            for (String id : List.of(cancelled, replaced)) {
                assertThat(pair.us.count("SELECT COUNT(*) FROM audit_event WHERE event = 'MESSAGE_WITHDRAWN' AND message_id = ?",
                        id)).isEqualTo(1);
                assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'WITHDRAWAL_RECEIVED'"
                        + " AND message_id = ?", id)).isEqualTo(1);
            }
            assertThat(Poll.until(WAIT, () -> Optional.of(pair.us.count("SELECT COUNT(*) FROM message_withdrawal"
                    + " WHERE sent_at IS NOT NULL")).filter(n -> n == 2))).as("both recorded as sent").isPresent();
            assertThat(pair.us.count("SELECT COUNT(*) FROM work WHERE state = 'DEAD'")).isZero();
        }
    }

    @Test
    void a_withdrawal_made_while_the_message_is_held_reaches_the_receiver_after_the_message() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient cbp = pair.agencyClient(pair.us, "agency-cbp");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            AgencyClient operator = AgencyClient.sample(pair.pki, Country.US, "operator", pair.us.ports().ops());
            assertThat(operator.post("/ops/v1/delivery/suspend", bytes("{\"reason\":\"withdrawal test\"}")).statusCode())
                    .isEqualTo(200);
            String held = submit(cbp);
            ok(cbp.post(cancel(held), bytes("{\"reason\":\"Sent by mistake.\"}")));
            assertThat(json(cbp.get("/api/v1/messages/" + held)).get("state").asText()).isEqualTo("PENDING");
            assertThat(operator.post("/ops/v1/delivery/resume", bytes("{}")).statusCode()).isEqualTo(200);
            assertThat(awaitWithdrawal(anam, held).get("reason").asText()).isEqualTo("Sent by mistake.");
        }
    }

    @Test
    void every_bad_withdrawal_is_refused_with_its_code_and_stores_nothing() throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient cbp = pair.agencyClient(pair.us, "agency-cbp");
            AgencyClient hsi = pair.agencyClient(pair.us, "agency-ice-hsi");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            String a = submit(cbp);
            String b = submit(cbp);
            String c = submit(cbp);
            String otherType = accepted(cbp.post("/api/v1/messages",
                    SampleMessages.named("cargo.transit-event.us-to-mx.json").orElseThrow().bytes()));
            String reason = "\"reason\":\"Corrected weights.\"";

            for (String bad : List.of("{}", "{\"reason\":\"\"}", "{\"reason\":\"line\\nbreak\"}", "{\"reason\":7}",
                    "{\"reason\":\"" + "x".repeat(501) + "\"}", "[]", "not json")) {
                assertError(cbp.post(cancel(a), bytes(bad)), 400, "invalid_withdrawal");
            }
            assertError(cbp.post(replace(a), bytes("{" + reason + "}")), 400, "invalid_withdrawal");
            assertError(cbp.post(replace(a), bytes("{" + reason + ",\"replacement\":\"" + a + "\"}")), 400,
                    "invalid_withdrawal");
            assertError(cbp.post(replace(a), bytes("{" + reason + ",\"replacement\":\"" + otherType + "\"}")), 400,
                    "invalid_withdrawal");
            assertError(cbp.post(replace(a), bytes("{" + reason + ",\"replacement\":\"" + UUID.randomUUID() + "\"}")), 400,
                    "invalid_withdrawal");
            assertError(cbp.post(cancel(UUID.randomUUID().toString()), bytes("{" + reason + "}")), 404, "not_found");
            assertError(hsi.post(cancel(a), bytes("{" + reason + "}")), 404, "not_found");
            assertError(anam.post(cancel(a), bytes("{" + reason + "}")), 404, "not_found");
            assertThat(pair.us.count("SELECT COUNT(*) FROM message_withdrawal")).isZero();
            assertThat(pair.us.count("SELECT COUNT(*) FROM work WHERE kind = 'WITHDRAWAL_NOTICE'")).isZero();

            // one replacement replaces one message
            ok(cbp.post(replace(a), bytes("{" + reason + ",\"replacement\":\"" + c + "\"}")));
            assertError(cbp.post(replace(b), bytes("{" + reason + ",\"replacement\":\"" + c + "\"}")), 400,
                    "invalid_withdrawal");
            assertThat(pair.us.count("SELECT COUNT(*) FROM message_withdrawal")).isEqualTo(1);
            assertThat(pair.us.count("SELECT COUNT(*) FROM audit_event WHERE event = 'MESSAGE_WITHDRAWN'")).isEqualTo(1);
        }
    }

    private static String cancel(String id) {
        return "/api/v1/messages/" + id + "/cancel";
    }

    private static String replace(String id) {
        return "/api/v1/messages/" + id + "/replace";
    }

    private static String submit(AgencyClient client) {
        return accepted(client.post("/api/v1/messages", SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes()));
    }

    private static String accepted(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(text(r)).isEqualTo(202);
        return json(r).get("messageId").asText();
    }

    private static JsonNode ok(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        return json(r);
    }

    private static void awaitStored(GatewayHarness receiver, String id) {
        assertThat(Poll.until(WAIT, () -> Optional.of(receiver.count("SELECT COUNT(*) FROM inbox WHERE message_id = ?", id))
                .filter(n -> n == 1))).as(id).isPresent();
    }

    private static JsonNode awaitWithdrawal(AgencyClient receiver, String id) {
        return Poll.until(WAIT, () -> {
            HttpResponse<byte[]> r = receiver.get("/api/v1/inbox/" + id);
            return r.statusCode() == 200 ? Optional.ofNullable(json(r).get("withdrawal")) : Optional.<JsonNode>empty();
        }).orElseThrow(() -> new AssertionError(id + " never shown withdrawn"));
    }

    private static JsonNode step(JsonNode status, String wanted) {
        return StreamSupport.stream(status.get("history").spliterator(), false)
                .filter(h -> wanted.equals(h.get("status").asText())).findFirst()
                .orElseThrow(() -> new AssertionError(wanted + " not in " + status));
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
