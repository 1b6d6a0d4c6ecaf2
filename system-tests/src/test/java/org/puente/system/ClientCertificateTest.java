package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.puente.certs.SamplePki;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.Country;

/**
 * Wrong client certificates on each listener of a real gateway process: the other country's
 * agency, a revoked certificate and no certificate are refused during the TLS handshake (no HTTP
 * answer at all); a certificate of the right CA used on the wrong listener gets 403 forbidden.
 */
class ClientCertificateTest {
    static SystemExchange exchange;
    static Path pki;

    @BeforeAll
    static void start() {
        exchange = SystemExchange.start("client-certificates");
        pki = exchange.layout(Country.US).pki();
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    static AgencyConnection as(Country country, String credential, int port) {
        String c = country.name().toLowerCase(Locale.ROOT);
        return new AgencyConnection(pki.resolve(c + "/" + credential + ".p12"), SamplePki.samplePassword(),
                pki.resolve("us/root-ca.pem"), URI.create("https://localhost:" + port), null);
    }

    static int agencyPort() {
        return exchange.layout(Country.US).agencyPort();
    }

    static int peerPort() {
        return exchange.layout(Country.US).peerPort();
    }

    static int opsPort() {
        return exchange.layout(Country.US).opsPort();
    }

    @Test
    void the_other_countrys_agency_is_refused_during_the_handshake_on_every_listener() {
        for (int port : new int[] {agencyPort(), opsPort()}) {
            AgencyConnection anam = as(Country.MX, "agency-anam", port);
            assertThatThrownBy(() -> anam.get("/api/v1/inbox")).as("port " + port).isInstanceOf(java.io.UncheckedIOException.class);
        }
    }

    @Test
    void a_revoked_agency_certificate_is_refused_during_the_handshake() {
        AgencyConnection revoked = as(Country.US, "agency-cbp-revoked", agencyPort());
        assertThatThrownBy(() -> revoked.get("/api/v1/inbox")).isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Test
    void a_client_without_certificate_is_refused_during_the_handshake() throws Exception {
        javax.net.ssl.SSLContext trustOnly = javax.net.ssl.SSLContext.getInstance("TLS");
        java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(pki.resolve("us/root-ca.pem"))) {
            ts.setCertificateEntry("root", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        trustOnly.init(null, tmf.getTrustManagers(), null);
        java.net.http.HttpClient anonymous = java.net.http.HttpClient.newBuilder().sslContext(trustOnly).build();
        for (int port : new int[] {agencyPort(), peerPort(), opsPort()}) {
            assertThatThrownBy(() -> anonymous.send(java.net.http.HttpRequest.newBuilder(
                    URI.create("https://localhost:" + port + "/api/v1/inbox")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray())).as("port " + port)
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void an_agency_certificate_of_this_country_is_refused_at_the_peer_listener() {
        AgencyConnection cbp = as(Country.US, "agency-cbp", peerPort());
        assertThatThrownBy(() -> cbp.post("/peer/v1/envelopes", "{}".getBytes())).isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Test
    void an_agency_is_forbidden_on_the_operations_listener_and_an_operator_on_the_agency_api() {
        AgencyConnection.Answer a = as(Country.US, "agency-cbp", opsPort()).get("/ops/v1/health/ready");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().path("code").asText()).isEqualTo("forbidden");
        AgencyConnection.Answer b = as(Country.US, "operator", agencyPort()).submit("{}".getBytes());
        assertThat(b.status()).isEqualTo(403);
        assertThat(b.json().path("code").asText()).isEqualTo("forbidden");
    }

    @Test
    void the_right_agency_gets_through() {
        assertThat(as(Country.US, "agency-cbp", agencyPort()).get("/api/v1/inbox").status()).isEqualTo(200);
    }
}
