package org.puente.routes.camel;

import static org.apache.camel.builder.Builder.exchangeProperty;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.model.samples.SampleMessages;
import org.puente.engine.exchange.DispatchBatch;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.StepFaults;

/**
 * Forces every {@code onException} clause of {@link ErrorHandlingConfiguration} on a started US
 * gateway ({@link RouteTestGateway}: real TLS listeners, embedded database, no peer): a failure
 * woven in front of an API handler must become the JSON error answer; one in front of a background
 * step must be recorded (route and code) and must not stop the route.
 */
@ExtendWith(RouteTestGateway.class)
class ErrorHandlingRouteTest {
    private static final byte[] MANIFEST = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();

    private final RouteTestGateway.Started gateway = RouteTestGateway.gateway();
    private final GatewayHarness us = gateway.us;
    private final StepFaults faults = gateway.faults;
    private final AgencyClient cbp = gateway.agencyClient("us/agency-cbp.p12");

    @Test
    void an_expected_failure_in_an_agency_handler_is_answered_with_its_status_and_json_code() {
        double before = apiErrors("submit", "payload_too_large");
        faults.next("agency-submit-handle", new PuenteException(ErrorCode.PAYLOAD_TOO_LARGE, 2_000_000, 1_000_000));

        HttpResponse<byte[]> answer = cbp.post("/api/v1/messages", MANIFEST);

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = json(answer.body());
        assertThat(body.get("code").asText()).isEqualTo("payload_too_large");
        assertThat(body.get("category").asText()).isEqualTo("VALIDATION");
        assertThat(body.get("retryable").asBoolean()).isFalse();
        assertThat(body.get("message").asText()).contains("2,000,000").contains("1,000,000");
        assertThat(apiErrors("submit", "payload_too_large")).isEqualTo(before + 1);
    }

    @Test
    void the_error_sentence_is_in_the_language_the_agency_asked_for() {
        faults.next("agency-submit-handle", new PuenteException(ErrorCode.STORE_UNAVAILABLE));

        HttpResponse<byte[]> answer = cbp.post("/api/v1/messages", MANIFEST, "Accept-Language", "es-MX");

        assertThat(answer.statusCode()).isEqualTo(503);
        JsonNode body = json(answer.body());
        assertThat(body.get("code").asText()).isEqualTo("store_unavailable");
        assertThat(body.get("retryable").asBoolean()).isTrue();
        assertThat(body.get("message").asText()).isEqualTo(ErrorCode.STORE_UNAVAILABLE.sentence(
                org.puente.model.error.ErrorMessages.SPANISH));
    }

    @Test
    void a_defect_in_an_agency_handler_is_answered_500_internal_error_with_a_reference_and_no_stack_trace() {
        faults.next("agency-submit-handle", new IllegalStateException("secret detail of a defect"));

        HttpResponse<byte[]> answer = cbp.post("/api/v1/messages", MANIFEST);

        assertThat(answer.statusCode()).isEqualTo(500);
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        JsonNode body = json(answer.body());
        assertThat(body.get("code").asText()).isEqualTo("internal_error");
        assertThat(body.get("category").asText()).isEqualTo("INTERNAL");
        assertThat(body.get("message").asText())
                .containsPattern("reference [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(text).doesNotContain("IllegalStateException", "secret detail", "at org.", "java.", "Exception");
    }

    @Test
    void an_agency_handler_that_failed_once_answers_the_next_request_normally() {
        faults.next("agency-submit-handle", new IllegalStateException("once"));
        assertThat(cbp.post("/api/v1/messages", MANIFEST).statusCode()).isEqualTo(500);

        HttpResponse<byte[]> accepted = cbp.post("/api/v1/messages", MANIFEST);

        assertThat(accepted.statusCode()).as(new String(accepted.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        assertThat(json(accepted.body()).get("status").asText()).isEqualTo("ACCEPTED");
    }

    @Test
    void an_expected_failure_of_a_dispatch_cycle_is_recorded_with_its_route_and_code_and_the_route_goes_on() {
        backgroundFailureIsHandled("outbound-claim-due", new PuenteException(ErrorCode.STORE_UNAVAILABLE), "store_unavailable");
    }

    @Test
    void a_defect_in_a_dispatch_cycle_is_recorded_as_internal_error_and_the_route_goes_on() {
        backgroundFailureIsHandled("outbound-claim-due", new IllegalStateException("a defect"), "internal_error");
    }

    @Test
    void a_failing_post_is_recorded_and_its_message_stays_queued_and_is_tried_again() {
        CamelContext context = us.context();
        // the listener is told the route where the failure happened (outbound-send), not only the cycle's route
        double before = backgroundFailures("outbound-send", "peer_unreachable");
        NotifyBuilder handledFailure = new NotifyBuilder(context).fromCurrentRoute("outbound-send")
                .whenAnyDoneMatches(exchangeProperty(Exchange.EXCEPTION_CAUGHT).isNotNull()).create();
        NotifyBuilder failed = new NotifyBuilder(context).fromRoute("outbound-claim").whenFailed(1).create();
        faults.next("outbound-post", new PuenteException(ErrorCode.PEER_UNREACHABLE, "woven"));

        HttpResponse<byte[]> accepted = cbp.post("/api/v1/messages", MANIFEST);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = json(accepted.body()).get("messageId").asText();

        assertThat(handledFailure.matches(20, TimeUnit.SECONDS)).as("the woven failure was handled").isTrue();
        assertThat(backgroundFailures("outbound-send", "peer_unreachable"))
                .as("the failure listener saw route outbound-send and code peer_unreachable").isEqualTo(before + 1);
        // the woven failure hit the first post; once its lease (1 s here) lapses the message is claimed
        // again and posted for real: nobody listens, so the send is recorded as a retry on the message
        UUID messageId = UUID.fromString(id);
        NotifyBuilder retried = new NotifyBuilder(context).fromCurrentRoute("outbound-send")
                .whenAnyDoneMatches(e -> e.getProperty(Exchange.EXCEPTION_CAUGHT) == null
                        && e.getIn().getBody() instanceof DispatchBatch b
                        && b.entries().stream().anyMatch(m -> m.messageId().equals(messageId)))
                .create();
        assertThat(retried.matches(20, TimeUnit.SECONDS)).as("a later cycle sent it again").isTrue();
        JsonNode status = json(cbp.get("/api/v1/messages/" + id).body());
        assertThat(status.get("attempts").asInt()).isPositive();
        assertThat(status.get("state").asText()).isEqualTo("PENDING");
        assertThat(failed.matches()).as("the cycle's exchange was handled, not failed").isFalse();
        assertThat(context.getRouteController().getRouteStatus("outbound-send")).isEqualTo(ServiceStatus.Started);
    }

    private void backgroundFailureIsHandled(String step, RuntimeException failure, String code) {
        CamelContext context = us.context();
        double before = backgroundFailures("outbound-claim", code);
        NotifyBuilder handledFailure = new NotifyBuilder(context).fromRoute("outbound-claim")
                .whenAnyDoneMatches(exchangeProperty(Exchange.EXCEPTION_CAUGHT).isNotNull()).create();
        NotifyBuilder failed = new NotifyBuilder(context).fromRoute("outbound-claim").whenFailed(1).create();
        faults.next(step, failure);

        assertThat(handledFailure.matches(10, TimeUnit.SECONDS)).as("the woven failure was handled").isTrue();
        assertThat(backgroundFailures("outbound-claim", code))
                .as("the failure listener saw route outbound-claim and code " + code + ", once").isEqualTo(before + 1);
        NotifyBuilder next = new NotifyBuilder(context).fromRoute("outbound-claim").whenCompleted(1).create();
        assertThat(next.matches(10, TimeUnit.SECONDS)).as("the next wake is processed").isTrue();
        assertThat(failed.matches()).as("the failed cycle was handled, not left failed").isFalse();
        assertThat(context.getRouteController().getRouteStatus("outbound-claim")).isEqualTo(ServiceStatus.Started);
    }

    private double backgroundFailures(String route, String code) {
        Counter c = registry().find("gateway.background.failures").tag("route", route).tag("code", code).counter();
        return c == null ? 0 : c.count();
    }

    private double apiErrors(String operation, String code) {
        Counter c = registry().find("gateway.api.errors").tag("operation", operation).tag("code", code).counter();
        return c == null ? 0 : c.count();
    }

    private MeterRegistry registry() {
        return us.context().getRegistry().lookupByNameAndType("prometheusMeterRegistry", MeterRegistry.class);
    }

    static JsonNode json(byte[] body) {
        try {
            return CanonicalJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(new String(body, StandardCharsets.UTF_8), e);
        }
    }
}
