package org.puente.routes.camel;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.transport.http.HTTPConduit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.engine.admission.ByteBudget;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.soap.v1.Agency;
import org.puente.routes.soap.v1.SubmitRequest;
import org.puente.routes.soap.v1.SubmitResponse;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.RawHttps;
import org.puente.routes.testing.SoapAgencyClient;

/**
 * A request body must arrive by its deadline (grace plus its length at the minimum rate): a client
 * that stops sending has its connection closed there, not before, and its share of the body budget
 * comes back; one that sends at a pace above the minimum is not cut, nor is a declared body read
 * whole whose processing outlasts its deadline.
 */
class SlowBodyTest {
    private static final long KIB = 1024;
    /** The processing budget, and with it the body budget. */
    private static final long BUDGET = 256 * KIB;
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final long MIN_RATE = 32 * KIB;
    /** The stalled body's length: its deadline is 1 s + 128 KiB at 32 KiB/s = 5 s. */
    private static final long STALLED = 128 * KIB;
    private static final Duration STALLED_DEADLINE = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static GatewayHarness us;

    /** How long the SOAP route pauses before it handles a request (0: not at all). */
    private static final AtomicLong SOAP_PAUSE_MILLIS = new AtomicLong();

    @BeforeAll
    static void start() throws IOException {
        us = GatewayHarness.aloneOnNewPki(dir, Map.of(
                "puente.limits.processing-bytes", String.valueOf(BUDGET),
                "puente.limits.body-grace", GRACE.toString(),
                "puente.limits.body-min-bytes-per-second", String.valueOf(MIN_RATE)),
                context -> AdviceWith.adviceWith(context, "agency-soap", a -> a.weaveById("agency-soap-admit").before()
                        .process(e -> Thread.sleep(SOAP_PAUSE_MILLIS.get()))));
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
        RawHttps.Ended ended;
        long heldBeforeTheDeadline;
        long heldAfterTheCut;
        RawHttps.Answer whileHeld;
        // the client neither sends nor reads: nothing it does may be what frees the share
        try (RawHttps.Stalled stalled = RawHttps.stall(cbp(), us.ports().agency(), "/api/v1/messages", STALLED, 1024)) {
            awaitUsed(STALLED);
            whileHeld = declared(200 * KIB);
            Thread.sleep(Math.max(0, STALLED_DEADLINE.minus(stalled.age()).minusMillis(500).toMillis()));
            heldBeforeTheDeadline = us.gateway().admission().bodies("agency").used();
            heldAfterTheCut = awaitUsed(0);
            ended = stalled.awaitEnd(Duration.ofSeconds(5));
        }
        RawHttps.Answer after = declared(200 * KIB);

        assertThat(whileHeld.status()).as("the stalled body holds its share: " + whileHeld.text()).isEqualTo(429);
        assertThat(heldBeforeTheDeadline).as("held until its deadline").isEqualTo(STALLED);
        assertThat(heldAfterTheCut).as("given back at the deadline, the client's socket still open and unread").isZero();
        assertThat(ended.answered()).as("closed without an answer").isFalse();
        assertThat(after.status()).as("its share came back: " + after.text()).isNotEqualTo(429);
        assertThat(after.continued()).as("read this time").isTrue();
        assertThat(apiErrors("agency-edge", "request_timeout")).isEqualTo(before + 1);
    }

    @Test
    void a_body_sent_in_pieces_slower_than_the_grace_but_faster_than_the_minimum_rate_is_read_whole() {
        // 96 KiB in 12 pieces, one every 150 ms: ~1.8 s, past the 1 s grace, within its deadline of 1 s + 3 s
        RawHttps.Answer a = RawHttps.paced(cbp(), us.ports().agency(), "/api/v1/messages", 96 * KIB, 8 * (int) KIB,
                Duration.ofMillis(150));

        assertThat(a.status()).as("an answer about the document, not a cut: " + a.text()).isEqualTo(400);
        assertThat(ErrorHandlingRouteTest.json(a.body()).path("code").asText()).isEqualTo("malformed_json");
    }

    @Test
    void a_declared_soap_body_read_whole_is_not_cut_while_its_processing_outlasts_the_deadline() throws Exception {
        // a SOAP reader stops at the envelope's end, before the stream's: the body has arrived all the same
        Agency cbp = SoapAgencyClient.port(dir.resolve("pki").resolve("us/agency-cbp.p12"), SamplePki.samplePassword(),
                dir.resolve("pki").resolve("us/root-ca.pem"), us.ports().agency(), null);
        ((HTTPConduit) ClientProxy.getClient(cbp).getConduit()).getClient().setAllowChunking(false); // a declared length
        SubmitRequest request = new SubmitRequest();
        request.setDocument(new String(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes(),
                StandardCharsets.UTF_8));
        double before = apiErrors("agency-edge", "request_timeout");
        SubmitResponse answer;
        SOAP_PAUSE_MILLIS.set(3000); // its deadline: 1 s + ~6 KiB at 32 KiB/s
        try {
            answer = cbp.submit(request);
        } finally {
            SOAP_PAUSE_MILLIS.set(0);
        }

        assertThat(answer.getMessageId()).as("answered, not cut").isNotBlank();
        assertThat(apiErrors("agency-edge", "request_timeout")).isEqualTo(before);
    }

    /**
     * Waits, at most 10 s, for the agency listener's body budget to hold {@code bytes} (the stalled
     * request and one sent beside it race for the budget; the share comes back as the exchange ends).
     */
    private static long awaitUsed(long bytes) throws InterruptedException {
        ByteBudget budget = us.gateway().admission().bodies("agency");
        for (int i = 0; i < 200 && budget.used() != bytes; i++) {
            Thread.sleep(50);
        }
        return budget.used();
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
        return AgencyClient.sampleContext(dir.resolve("pki"), "us/agency-cbp.p12", "us");
    }
}
