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

    /** The TLS alerts a server sends for a client certificate it does not accept (or none). */
    static final java.util.Set<String> REFUSALS = java.util.Set.of("certificate_unknown", "bad_certificate",
            "certificate_required", "handshake_failure", "certificate_revoked", "unknown_ca");

    static javax.net.ssl.SSLContext tls(String country, String credential) {
        return AgencyConnection.sslContext(pki.resolve(country + "/" + credential + ".p12"), SamplePki.samplePassword(),
                pki.resolve("us/root-ca.pem"));
    }

    static void assertRefusedHandshake(javax.net.ssl.SSLContext client, int port) throws Exception {
        TlsProbe.Result r = TlsProbe.probe(client, port);
        assertThat(r.refused()).as("port " + port + ": " + r).isTrue();
        assertThat(r.alert()).as("port " + port + ": the alert of the refusal").isIn(REFUSALS);
    }

    @Test
    void the_other_countrys_agency_is_refused_during_the_handshake_on_every_listener() throws Exception {
        for (int port : new int[] {agencyPort(), opsPort()}) {
            assertRefusedHandshake(tls("mx", "agency-anam"), port);
        }
    }

    @Test
    void a_revoked_agency_certificate_is_refused_during_the_handshake() throws Exception {
        assertRefusedHandshake(tls("us", "agency-cbp-revoked"), agencyPort());
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
        for (int port : new int[] {agencyPort(), peerPort(), opsPort()}) {
            assertRefusedHandshake(trustOnly, port);
        }
    }

    @Test
    void an_agency_certificate_of_this_country_is_refused_at_the_peer_listener() throws Exception {
        assertRefusedHandshake(tls("us", "agency-cbp"), peerPort());
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
    void the_right_agency_gets_through_over_tls_1_3() throws Exception {
        assertThat(as(Country.US, "agency-cbp", agencyPort()).get("/api/v1/inbox").status()).isEqualTo(200);
        TlsProbe.Result r = TlsProbe.probe(tls("us", "agency-cbp"), agencyPort());
        assertThat(r.refused()).as(r.toString()).isFalse();
        assertThat(r.protocol()).isEqualTo("TLSv1.3");
        assertThat(r.httpStatusLine()).startsWith("HTTP/1.1 200");
    }
}
