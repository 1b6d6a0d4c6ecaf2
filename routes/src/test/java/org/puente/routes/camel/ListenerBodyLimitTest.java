package org.puente.routes.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.SamplePki;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.RawHttps;
import org.puente.routes.testing.TlsRefusal;

/**
 * Issue 13, point 4: a request body is bounded at each listener (agency, peer, operations) before
 * it is read, and the caller is identified before that. One US gateway with small limits (agency
 * 64 KiB, peer 64 KiB, operations 4 KiB); each attack declares or streams a body far above them,
 * from a certificate the listener admits and from one it does not. A declared 1 GiB is answered
 * before one byte of it is sent ({@code Expect: 100-continue} is never granted); an undeclared one
 * is cut where it passes the limit. What the gateway's own threads allocated meanwhile is
 * measured: the heap does not take the body.
 */
class ListenerBodyLimitTest {
    private static final long GIB = 1L << 30;
    private static final long LIMIT = 64 * 1024;
    private static final long OPS_LIMIT = 4 * 1024;
    /** What the gateway's threads may allocate while refusing a 1 GiB body (a JSON answer, TLS buffers). */
    private static final long ALLOCATION_BUDGET = 32L * 1024 * 1024;

    @TempDir
    static Path dir;
    static SamplePki pki;
    static GatewayHarness us;

    @BeforeAll
    static void start() throws IOException {
        pki = SamplePki.generate();
        pki.writeTo(dir.resolve("pki"), SamplePki.samplePassword());
        us = GatewayHarness.start(Country.US, dir.resolve("pki"), dir.resolve("us"), GatewayHarness.Ports.free(),
                GatewayHarness.Ports.free(), Map.of(
                        "puente.limits.agency-request-bytes", String.valueOf(LIMIT),
                        "puente.limits.peer-request-bytes", String.valueOf(LIMIT),
                        "puente.limits.ops-request-bytes", String.valueOf(OPS_LIMIT)));
    }

    @AfterAll
    static void stop() {
        if (us != null) {
            us.close();
        }
    }

    // --- agency listener ---

    @Test
    void a_1_gib_body_declared_by_an_agency_is_answered_413_payload_too_large_before_a_byte_of_it_is_sent() {
        long allocated = serverAllocation(() -> {
            RawHttps.Answer a = RawHttps.declared(tls("us/agency-cbp.p12", "us"), us.ports().agency(), "POST",
                    "/api/v1/messages", "application/json", GIB);

            assertThat(a.status()).isEqualTo(413);
            assertThat(code(a)).isEqualTo("payload_too_large");
            assertThat(a.continued()).as("100 Continue granted").isFalse();
            assertThat(a.bodyBytesSent()).isZero();
        });
        report("declared 1 GiB from CBP", allocated);
        assertThat(allocated).isLessThan(ALLOCATION_BUDGET);
    }

    @Test
    void a_body_streamed_without_a_length_past_the_limit_is_answered_413_payload_too_large() {
        RawHttps.Answer a = RawHttps.chunked(tls("us/agency-cbp.p12", "us"), us.ports().agency(), "POST",
                "/api/v1/messages", "application/json", LIMIT + 256 * 1024);

        assertThat(a.status()).as(a.text()).isEqualTo(413);
        assertThat(code(a)).isEqualTo("payload_too_large");
    }

    @Test
    void a_1_gib_body_streamed_without_a_length_has_its_connection_closed_soon_after_the_limit_and_the_heap_does_not_take_it() {
        long allocated = serverAllocation(() -> {
            RawHttps.Answer a = RawHttps.chunked(tls("us/agency-cbp.p12", "us"), us.ports().agency(), "POST",
                    "/api/v1/messages", "application/json", GIB);

            assertThat(a.status()).as("no HTTP answer: the gateway closed the connection").isEqualTo(RawHttps.NO_ANSWER);
            assertThat(a.bodyBytesSent()).as("bytes the client got to send before the gateway closed the connection")
                    .isLessThan(LIMIT + 16L * 1024 * 1024);
        });
        report("chunked 1 GiB from CBP", allocated);
        assertThat(allocated).isLessThan(ALLOCATION_BUDGET);
    }

    @Test
    void a_large_body_declared_by_a_certificate_of_our_ca_that_no_client_holds_is_answered_403_forbidden_unread() {
        RawHttps.Answer a = RawHttps.declared(unlistedAgency(), us.ports().agency(), "POST", "/api/v1/messages",
                "application/json", GIB);

        assertThat(a.status()).isEqualTo(403);
        assertThat(code(a)).isEqualTo("forbidden");
        assertThat(a.continued()).isFalse();
        assertThat(a.bodyBytesSent()).isZero();
    }

    @Test
    void a_large_body_declared_by_the_operator_on_the_agency_listener_is_answered_403_forbidden_unread() {
        RawHttps.Answer a = RawHttps.declared(tls("us/operator.p12", "us"), us.ports().agency(), "POST",
                "/api/v1/messages/batch", "application/json", GIB);

        assertThat(a.status()).isEqualTo(403);
        assertThat(code(a)).isEqualTo("forbidden");
        assertThat(a.bodyBytesSent()).isZero();
    }

    @Test
    void a_soap_request_declared_above_the_limit_is_answered_with_a_payload_too_large_fault_unread() {
        RawHttps.Answer a = RawHttps.declared(tls("us/agency-cbp.p12", "us"), us.ports().agency(), "POST",
                AgencySoapEndpoint.PATH, "text/xml; charset=UTF-8", GIB);

        assertThat(a.status()).isEqualTo(500);
        assertThat(a.headers().get("content-type")).startsWith("text/xml");
        assertThat(a.text()).contains("<faultcode>soap:Client</faultcode>").contains("<code>payload_too_large</code>");
        assertThat(a.bodyBytesSent()).isZero();
    }

    @Test
    void a_submission_under_the_limit_still_gets_through_which_makes_the_refusals_above_meaningful() {
        byte[] manifest = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        assertThat((long) manifest.length).isLessThan(LIMIT);

        assertThat(AgencyClient.sample(dir.resolve("pki"), Country.US, "agency-cbp", us.ports().agency())
                .post("/api/v1/messages", manifest).statusCode()).isEqualTo(202);
    }

    // --- peer listener ---

    @Test
    void the_peer_gateway_declaring_a_1_gib_body_is_answered_413_payload_too_large_unread() {
        long allocated = serverAllocation(() -> {
            RawHttps.Answer a = RawHttps.declared(AgencyClient.context(pki.mx().gatewayTls(), pki.us()), us.ports().peer(), "POST",
                    "/peer/v1/envelopes", "application/json", GIB);

            assertThat(a.status()).isEqualTo(413);
            assertThat(code(a)).isEqualTo("payload_too_large");
            assertThat(a.bodyBytesSent()).isZero();
        });
        report("declared 1 GiB from the MX gateway", allocated);
        assertThat(allocated).isLessThan(ALLOCATION_BUDGET);
    }

    @Test
    void a_peer_country_agency_is_refused_during_the_handshake_at_the_peer_listener_so_its_body_is_never_sent() {
        // ANAM's certificate chains to the MX root, which the peer listener trusts; it is not the MX gateway's
        assertThat(TlsRefusal.handshakeAlert(tls("mx/agency-anam.p12", "us"), us.ports().peer()))
                .isEqualTo(TlsRefusal.CERTIFICATE_UNKNOWN);
        assertThat(TlsRefusal.handshakeAlert(AgencyClient.context(pki.mx().gatewayTls(), pki.us()), us.ports().peer()))
                .as("the MX gateway itself is let in").isNull();
    }

    // --- operations listener ---

    @Test
    void the_operator_declaring_a_body_above_the_operations_limit_is_answered_413_unread() {
        RawHttps.Answer a = RawHttps.declared(tls("us/operator.p12", "us"), us.ports().ops(), "POST",
                "/ops/v1/delivery/suspend", "application/json", GIB);

        assertThat(a.status()).isEqualTo(413);
        assertThat(code(a)).isEqualTo("payload_too_large");
        assertThat(a.bodyBytesSent()).isZero();
    }

    @Test
    void an_agency_declaring_a_large_body_on_the_operations_listener_is_answered_403_forbidden_unread() {
        RawHttps.Answer a = RawHttps.declared(tls("us/agency-cbp.p12", "us"), us.ports().ops(), "POST",
                "/ops/v1/delivery/suspend", "application/json", GIB);

        assertThat(a.status()).isEqualTo(403);
        assertThat(code(a)).isEqualTo("forbidden");
        assertThat(a.bodyBytesSent()).isZero();
    }

    @Test
    void an_operations_request_under_the_limit_still_gets_through() {
        AgencyClient operator = AgencyClient.sample(dir.resolve("pki"), Country.US, "operator", us.ports().ops());

        assertThat(operator.get("/ops/v1/delivery").statusCode()).isEqualTo(200);
    }

    // --- helpers ---

    private static SSLContext tls(String p12, String rootCountry) {
        return AgencyClient.sampleContext(dir.resolve("pki"), p12, rootCountry);
    }

    private static SSLContext unlistedAgency() {
        KeyPair keys = pki.profile().generateKeyPair();
        CertificateSpec spec = CertificateSpec.builder("CN=Unlisted agency system, OU=CBP, O=Puente SAMPLE - NOT FOR PRODUCTION, C=US",
                keys).keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build();
        return AgencyClient.context(new CertificateIssuer().issue(pki.us().issuingCa(), spec), pki.us());
    }

    private static String code(RawHttps.Answer a) {
        JsonNode body = ErrorHandlingRouteTest.json(a.body());
        return body.path("code").asText();
    }

    /** Bytes allocated by the gateway's Undertow threads (I/O and workers) while {@code attack} runs. */
    private static long serverAllocation(Runnable attack) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = serverThreads(threads);
        long before = Arrays.stream(threads.getThreadAllocatedBytes(ids)).filter(b -> b > 0).sum();
        attack.run();
        long after = Arrays.stream(threads.getThreadAllocatedBytes(ids)).filter(b -> b > 0).sum();
        return after - before;
    }

    private static long[] serverThreads(com.sun.management.ThreadMXBean threads) {
        return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
                .filter(t -> t != null && t.getThreadName().startsWith("XNIO"))
                .mapToLong(java.lang.management.ThreadInfo::getThreadId).toArray();
    }

    private static void report(String what, long allocated) {
        System.out.printf("%s: the gateway's threads allocated %.1f MiB%n", what, allocated / 1048576.0);
    }
}
