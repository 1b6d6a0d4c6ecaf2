package org.puente.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.PkiProfile;
import org.puente.certs.SamplePki;
import org.puente.certs.SubjectAltName;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.Poll;

/**
 * Push delivery: ANAM has an HTTPS endpoint, so the MX gateway posts each message to it over
 * mutual TLS as work of the queue ({@code AGENCY_PUSH}); a failing endpoint is retried with the
 * queue's backoff, and the 2xx answer counts as the acknowledgement
 * that flows back to the sender as DELIVERED.
 */
class AgencyPushTest {
    @TempDir
    static Path dir;
    static GatewayHarness us;
    static GatewayHarness mx;
    static HttpsServer anamEndpoint;
    static final List<String> RECEIVED_IDS = new CopyOnWriteArrayList<>();
    static final List<String> CLIENTS = new CopyOnWriteArrayList<>();
    static final AtomicInteger FAILURES_TO_SIMULATE = new AtomicInteger(2);

    @BeforeAll
    static void start() throws Exception {
        SamplePki pki = SamplePki.generate();
        Path pkiDir = dir.resolve("pki");
        pki.writeTo(pkiDir, SamplePki.samplePassword());
        anamEndpoint = endpoint(pki);
        GatewayHarness.Ports usPorts = GatewayHarness.Ports.free();
        GatewayHarness.Ports mxPorts = GatewayHarness.Ports.free();
        us = GatewayHarness.start(Country.US, pkiDir, dir.resolve("us"), usPorts, mxPorts, Map.of());
        mx = GatewayHarness.start(Country.MX, pkiDir, dir.resolve("mx"), mxPorts, usPorts,
                Map.of("puente.client.anam.push-url", "https://localhost:" + anamEndpoint.getAddress().getPort() + "/puente"));
    }

    /** ANAM's own HTTPS endpoint: a server certificate of the MX CA, client certificates required. */
    static HttpsServer endpoint(SamplePki pki) throws Exception {
        var keys = PkiProfile.EC_P256.generateKeyPair();
        IssuedCredential server = new CertificateIssuer().issue(pki.mx().issuingCa(),
                CertificateSpec.builder("CN=anam-backend.sample, OU=ANAM, O=Puente SAMPLE - NOT FOR PRODUCTION, C=MX", keys)
                        .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.SERVER_AUTH)
                        .subjectAltNames(SubjectAltName.dns("localhost"), SubjectAltName.ip("127.0.0.1")).build());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", server.key(), new char[0], server.chainArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("mx-root", pki.mx().trustAnchor());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                var p = ctx.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        s.createContext("/puente", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                if (FAILURES_TO_SIMULATE.getAndDecrement() > 0) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                var session = ((com.sun.net.httpserver.HttpsExchange) exchange).getSSLSession();
                CLIENTS.add(((java.security.cert.X509Certificate) session.getPeerCertificates()[0])
                        .getSubjectX500Principal().getName());
                RECEIVED_IDS.add(exchange.getRequestHeaders().getFirst("Puente-Message-Id"));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        s.start();
        return s;
    }

    @AfterAll
    static void stop() {
        if (mx != null) {
            mx.close();
        }
        if (us != null) {
            us.close();
        }
        if (anamEndpoint != null) {
            anamEndpoint.stop(0);
        }
    }

    @Test
    void a_message_for_anam_is_pushed_to_its_endpoint_after_retries_and_reported_delivered_to_the_sender() {
        AgencyClient cbp = AgencyClient.sample(dir.resolve("pki"), Country.US, "agency-cbp", us.ports().agency());
        byte[] document = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        var accepted = cbp.post("/api/v1/messages", document);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = ExchangeFlowTest.json(accepted.body()).get("messageId").asText();

        assertThat(Poll.until(Duration.ofSeconds(30), () -> RECEIVED_IDS.contains(id) ? Optional.of(id) : Optional.empty()))
                .contains(id);
        assertThat(FAILURES_TO_SIMULATE.get()).isNegative();
        assertThat(workEnded(mx, "agency_push", "retry")).as("the two 503 answers were retried by the work queue")
                .isGreaterThanOrEqualTo(2);
        assertThat(CLIENTS).allMatch(subject -> subject.startsWith("CN=gateway.mx.puente.sample"));
        assertThat(Poll.until(Duration.ofSeconds(10), () -> Optional.of(mx.count("SELECT COUNT(*) FROM inbox WHERE message_id = ?"
                + " AND delivered_via = 'PUSH' AND state = 'ACKNOWLEDGED'", id)).filter(n -> n == 1)))
                .as("the 2xx answer hands the message over and acknowledges it").contains(1L);
        Optional<String> delivered = Poll.until(Duration.ofSeconds(30), () ->
                "DELIVERED".equals(ExchangeFlowTest.json(cbp.get("/api/v1/messages/" + id).body()).get("state").asText())
                        ? Optional.of("yes") : Optional.empty());
        assertThat(delivered).isPresent();
    }

    private static double workEnded(GatewayHarness g, String kind, String outcome) {
        MeterRegistry registry = g.context().getRegistry().lookupByNameAndType("prometheusMeterRegistry", MeterRegistry.class);
        Counter c = registry.find("gateway.work.ended").tag("kind", kind).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }
}
