package org.puente.routes.camel;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.engine.admission.ByteBudget;
import org.puente.model.Country;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.RawHttps;

/**
 * A request body must arrive by its deadline (grace plus its length at the minimum rate): a client
 * that stops sending has its connection closed there, not before, and its share of the body budget
 * comes back; one that sends at a pace above the minimum is not cut.
 */
class SlowBodyTest {
    private static final long KIB = 1024;
    /** The processing budget, and with it the body budget. */
    private static final long BUDGET = 256 * KIB;
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final long MIN_RATE = 64 * KIB;
    /** The stalled body's length: its deadline is 2 s + 192 KiB at 64 KiB/s = 5 s. */
    private static final long STALLED = 192 * KIB;
    private static final Duration STALLED_DEADLINE = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static GatewayHarness us;

    @BeforeAll
    static void start() throws IOException {
        SamplePki pki = SamplePki.generate();
        pki.writeTo(dir.resolve("pki"), SamplePki.samplePassword());
        us = GatewayHarness.start(Country.US, dir.resolve("pki"), dir.resolve("us"), GatewayHarness.Ports.free(),
                GatewayHarness.Ports.free(), Map.of(
                        "puente.limits.processing-bytes", String.valueOf(BUDGET),
                        "puente.limits.body-grace", GRACE.toString(),
                        "puente.limits.body-min-bytes-per-second", String.valueOf(MIN_RATE)));
    }

    @AfterAll
    static void stop() {
        if (us != null) {
            us.close();
        }
    }

    @Test
    void a_client_that_stops_sending_its_body_is_cut_off_at_the_deadline_and_its_share_of_the_budget_comes_back()
            throws Exception {
        double before = apiErrors("agency-edge", "request_timeout");
        CompletableFuture<RawHttps.Ended> stalled = CompletableFuture.supplyAsync(() ->
                RawHttps.stalled(cbp(), us.ports().agency(), "/api/v1/messages", STALLED, 1024, Duration.ofSeconds(30)));
        awaitHeld(STALLED);
        RawHttps.Answer whileHeld = declared(100 * KIB);
        RawHttps.Ended ended = stalled.get();
        RawHttps.Answer after = declared(100 * KIB);

        assertThat(whileHeld.status()).as("the stalled body holds its share: " + whileHeld.text()).isEqualTo(429);
        assertThat(ended.answered()).as("closed without an answer").isFalse();
        assertThat(ended.after()).as("not cut before its deadline").isGreaterThanOrEqualTo(STALLED_DEADLINE.minusMillis(200))
                .as("cut at its deadline, not at Undertow's idle timeout").isLessThan(Duration.ofSeconds(25));
        assertThat(after.status()).as("its share came back: " + after.text()).isNotEqualTo(429);
        assertThat(after.continued()).as("read this time").isTrue();
        assertThat(apiErrors("agency-edge", "request_timeout")).isEqualTo(before + 1);
    }

    @Test
    void a_body_sent_in_pieces_faster_than_the_minimum_rate_is_read_whole() {
        // 128 KiB in 16 pieces, one every 50 ms: ~0.8 s, where its deadline is 2 s + 2 s
        RawHttps.Answer a = RawHttps.paced(cbp(), us.ports().agency(), "/api/v1/messages", 128 * KIB, 8 * (int) KIB,
                Duration.ofMillis(50));

        assertThat(a.status()).as("an answer about the document, not a cut: " + a.text()).isEqualTo(400);
        assertThat(ErrorHandlingRouteTest.json(a.body()).path("code").asText()).isEqualTo("malformed_json");
    }

    /** Waits for the stalled request to hold its share (it and a request sent beside it race for the budget). */
    private static void awaitHeld(long bytes) throws InterruptedException {
        ByteBudget budget = us.gateway().admission().bodies("agency");
        for (int i = 0; i < 100 && budget.used() < bytes; i++) {
            Thread.sleep(50);
        }
        assertThat(budget.used()).as("the stalled request's share").isEqualTo(bytes);
    }

    private static RawHttps.Answer declared(long length) {
        return RawHttps.declared(cbp(), us.ports().agency(), "POST", "/api/v1/messages", "application/json", length);
    }

    private static double apiErrors(String operation, String code) {
        Counter c = us.context().getRegistry().lookupByNameAndType("prometheusMeterRegistry", MeterRegistry.class)
                .find("gateway.api.errors").tag("operation", operation).tag("code", code).counter();
        return c == null ? 0 : c.count();
    }

    private static SSLContext cbp() {
        return AgencyClient.context(dir.resolve("pki").resolve("us/agency-cbp.p12"), SamplePki.samplePassword(),
                dir.resolve("pki").resolve("us/root-ca.pem"));
    }
}
