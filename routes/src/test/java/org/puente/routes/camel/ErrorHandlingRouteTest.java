package org.puente.routes.camel;

import static org.apache.camel.builder.Builder.exchangeProperty;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
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
import org.puente.engine.work.Job;
import org.puente.engine.work.WorkRunner;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.Poll;
import org.puente.routes.testing.StepFaults;

/**
 * Forces every {@code onException} clause of {@link ErrorHandlingConfiguration} on a started US
 * gateway ({@link RouteTestGateway}: real TLS listeners, embedded database, no peer): a failure
 * woven in front of an API handler must become the JSON error answer; one in front of a step of
 * the work queue's route (claim, run) must be recorded (route and code), must not stop the route,
 * and must lose no work: the job stays in the queue and is performed again.
 */
@ExtendWith(RouteTestGateway.class)
class ErrorHandlingRouteTest {
    private static final byte[] MANIFEST = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
    /** The route that drives the envelopes to the peer, and its two steps (WorkRoute). */
    private static final String ROUTE = "work-peer-envelope";
    private static final String CLAIM = ROUTE + "-claim";
    private static final String RUN = ROUTE + "-run";

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
    void an_expected_failure_of_a_claim_is_recorded_with_its_route_and_code_and_the_route_goes_on() {
        backgroundFailureIsHandled(CLAIM, new PuenteException(ErrorCode.STORE_UNAVAILABLE), "store_unavailable");
    }

    @Test
    void a_defect_in_a_claim_is_recorded_as_internal_error_and_the_route_goes_on() {
        backgroundFailureIsHandled(CLAIM, new IllegalStateException("a defect"), "internal_error");
    }

    @Test
    void a_failing_run_is_recorded_and_its_job_stays_queued_under_its_lease_and_is_performed_again_once_the_lease_lapses() {
        CamelContext context = us.context();
        double before = backgroundFailures(ROUTE, "peer_unreachable");
        NotifyBuilder failed = new NotifyBuilder(context).fromRoute(ROUTE).whenFailed(1).create();
        // the first batch with a job never tried before that was not queued yet: the one of the message
        // submitted below (a message another test submitted just before may not have had its first try)
        Set<String> earlier = peerEnvelopeRefs();
        faults.next(RUN, batch -> batch instanceof WorkRunner.Batch b
                        && b.jobs().stream().anyMatch(j -> j.attempts() == 0 && !earlier.contains(j.ref())),
                new PuenteException(ErrorCode.PEER_UNREACHABLE, "woven"));

        HttpResponse<byte[]> accepted = cbp.post("/api/v1/messages", MANIFEST);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = json(accepted.body()).get("messageId").asText();

        assertThat(Poll.until(Duration.ofSeconds(20), () -> Optional.of(faults.allThrown()).filter(t -> t)))
                .as("the woven failure was thrown").isPresent();
        assertThat(faults.failedOn(RUN)).last().satisfies(body -> assertThat(((WorkRunner.Batch) body).jobs())
                .extracting(Job::ref).contains(id));
        // the woven failure stopped the batch before its worker ran: the job stays queued under this
        // instance's lease, with no attempt counted
        assertThat(us.count("SELECT COUNT(*) FROM work WHERE kind = 'PEER_ENVELOPE' AND ref = ? AND state = 'READY'"
                + " AND attempts = 0 AND lease_owner = ?", id, us.gateway().runner().owner())).isEqualTo(1);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> Optional.of(backgroundFailures(ROUTE, "peer_unreachable"))
                .filter(n -> n > before))).as("the failure listener saw route " + ROUTE + " and code peer_unreachable, once")
                .contains(before + 1);
        // once the lease (1 s here) lapses the job is claimed again and performed for real: nobody listens,
        // so the queue records a retry with backoff on the same job
        Optional<Long> attempts = Poll.until(Duration.ofSeconds(20), () -> Optional.of(us.count(
                "SELECT attempts FROM work WHERE kind = 'PEER_ENVELOPE' AND ref = ?", id)).filter(n -> n > 0));
        assertThat(attempts).as("a later claim performed the job again").isPresent();
        assertThat(us.count("SELECT COUNT(*) FROM work WHERE kind = 'PEER_ENVELOPE' AND ref = ? AND state = 'READY'"
                + " AND last_error_code = 'peer_unreachable'", id)).as("still queued, with the road failure").isEqualTo(1);
        JsonNode status = json(cbp.get("/api/v1/messages/" + id).body());
        assertThat(status.get("attempts").asInt()).isPositive();
        assertThat(status.get("state").asText()).isEqualTo("PENDING");
        assertThat(failed.matches()).as("the cycle's exchange was handled, not failed").isFalse();
        assertThat(context.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);
    }

    private void backgroundFailureIsHandled(String step, RuntimeException failure, String code) {
        CamelContext context = us.context();
        double before = backgroundFailures(ROUTE, code);
        NotifyBuilder handledFailure = new NotifyBuilder(context).fromRoute(ROUTE)
                .whenAnyDoneMatches(exchangeProperty(Exchange.EXCEPTION_CAUGHT).isNotNull()).create();
        NotifyBuilder failed = new NotifyBuilder(context).fromRoute(ROUTE).whenFailed(1).create();
        faults.next(step, failure);

        assertThat(handledFailure.matches(10, TimeUnit.SECONDS)).as("the woven failure was handled").isTrue();
        assertThat(backgroundFailures(ROUTE, code))
                .as("the failure listener saw route " + ROUTE + " and code " + code + ", once").isEqualTo(before + 1);
        NotifyBuilder next = new NotifyBuilder(context).fromRoute(ROUTE).whenCompleted(1).create();
        assertThat(next.matches(10, TimeUnit.SECONDS)).as("the next wake is processed").isTrue();
        assertThat(failed.matches()).as("the failed cycle was handled, not left failed").isFalse();
        assertThat(context.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);
    }

    /** The message ids of every peer-bound job in the queue now. */
    private Set<String> peerEnvelopeRefs() {
        return us.gateway().transactions().read(c -> {
            Set<String> refs = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT ref FROM work WHERE kind = 'PEER_ENVELOPE'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refs.add(rs.getString(1));
                }
            }
            return refs;
        });
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
