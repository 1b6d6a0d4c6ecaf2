package org.puente.routes.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.CountryPki;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.Revocation;
import org.puente.certs.SamplePki;
import org.puente.model.Country;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.RawHttps;
import org.puente.routes.testing.TlsRefusal;

/**
 * Issue 13, point 3: a bad CRL reload changes nothing and says so. A US gateway whose CRLs revoke
 * one certificate per listener (an agency system, an operator, a second TLS certificate of the MX
 * gateway); each test writes bad CRL files the way an operator script or a failed copy job would,
 * asks for a reload, and checks: 422 {@code crls_refused} naming the problem, a failed
 * {@code CRLS_RELOADED} audit event, the {@code gateway_crl_reload_failed} gauge at 1, and on the
 * agency, operations and peer listeners the revoked certificate still refused during the handshake
 * and the good one still answered. A good reload, by contrast, reaches every listener at once.
 */
class CrlReloadTest {
    private static final String SAMPLE = ", O=Puente SAMPLE - NOT FOR PRODUCTION, C=";

    @TempDir
    static Path dir;
    static Path pkiDir;
    static SamplePki pki;
    static IssuedCredential revokedOperator;
    static IssuedCredential revokedMxTls;
    /** The sample set's own issuing CRLs, older than those the gateway starts with. */
    static Map<Country, X509CRL> sampleIssuingCrls = new LinkedHashMap<>();
    static GatewayHarness us;

    @BeforeAll
    static void start() throws IOException {
        pkiDir = dir.resolve("pki");
        pki = SamplePki.generate();
        pki.writeTo(pkiDir, SamplePki.samplePassword());
        sampleIssuingCrls.put(Country.US, pki.us().issuingCrl());
        sampleIssuingCrls.put(Country.MX, pki.mx().issuingCrl());
        revokedOperator = client(pki.us(), "CN=US operator (revoked), OU=Operations" + SAMPLE + "US");
        revokedMxTls = new CertificateIssuer().issue(pki.mx().issuingCa(), CertificateSpec.builder(
                        "CN=gateway.mx.puente.sample, OU=Gateway TLS (revoked)" + SAMPLE + "MX", pki.profile().generateKeyPair())
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.SERVER_AUTH, KeyPurpose.CLIENT_AUTH).build());
        writeGoodCrls();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("puente.clients", "cbp,ice-hsi,cbp-revoked,operator,auditor,operator-revoked");
        p.put("puente.client.operator-revoked.role", "operator");
        p.put("puente.client.operator-revoked.subject", revokedOperator.certificate().getSubjectX500Principal().getName());
        p.put("puente.client.operator-revoked.issuer", pki.us().issuingCa().certificate().getSubjectX500Principal().getName());
        us = GatewayHarness.start(Country.US, pkiDir, dir.resolve("us"), GatewayHarness.Ports.free(),
                GatewayHarness.Ports.free(), p);
    }

    @AfterAll
    static void stop() {
        if (us != null) {
            us.close();
        }
    }

    /** Every test leaves good files behind (they are not reloaded unless a test asks). */
    @AfterEach
    void restoreGoodFiles() {
        writeGoodCrls();
    }

    @Test
    void the_starting_trust_refuses_each_revoked_certificate_and_admits_each_good_one_which_makes_the_tests_below_meaningful() {
        assertEveryListenerKeepsItsTrust();
    }

    @Test
    void all_four_crl_files_emptied_are_refused_with_422_and_every_listener_keeps_its_trust() throws IOException {
        for (String f : List.of("us/root-ca.crl.pem", "us/issuing-ca.crl.pem", "mx/root-ca.crl.pem", "mx/issuing-ca.crl.pem")) {
            Files.write(pkiDir.resolve(f), new byte[0]);
        }

        assertReloadRefused("holds no CRL");
        assertEveryListenerKeepsItsTrust();
    }

    @Test
    void the_two_us_crl_files_emptied_are_refused_too_not_answered_as_a_success() throws IOException {
        Files.write(pkiDir.resolve("us/root-ca.crl.pem"), new byte[0]);
        Files.write(pkiDir.resolve("us/issuing-ca.crl.pem"), new byte[0]);

        assertReloadRefused("us/root-ca.crl.pem holds no CRL");
        assertEveryListenerKeepsItsTrust();
    }

    @Test
    void a_truncated_crl_file_is_refused() throws IOException {
        Path file = pkiDir.resolve("mx/issuing-ca.crl.pem");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));

        assertReloadRefused("mx/issuing-ca.crl.pem cannot be read as a CRL");
        assertEveryListenerKeepsItsTrust();
    }

    @Test
    void an_older_crl_than_the_one_in_force_is_refused_so_a_replayed_crl_cannot_lift_a_revocation() {
        // the sample set's own CRL: validly signed and not expired, but it predates the revocation of the operator
        writeCrl("us/issuing-ca.crl.pem", sampleIssuingCrls.get(Country.US));

        assertReloadRefused("before the one in force");
        assertEveryListenerKeepsItsTrust();
    }

    @Test
    void a_crl_under_the_issuing_cas_name_signed_by_another_key_is_refused() {
        IssuedCredential impostor = new CertificateIssuer().selfSign(CertificateSpec.builder(
                pki.us().issuingCa().certificate().getSubjectX500Principal().getName(), pki.profile().generateKeyPair())
                .ca(0).keyUsage(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN).build());
        writeCrl("us/issuing-ca.crl.pem", new CertificateIssuer().crl(impostor, Instant.now().minusSeconds(5),
                Instant.now().plus(Duration.ofDays(7)), BigInteger.valueOf(99), List.of()));

        assertReloadRefused("does not verify with the key of");
        assertEveryListenerKeepsItsTrust();
    }

    @Test
    void a_stale_crl_is_refused() {
        writeCrl("mx/issuing-ca.crl.pem", new CertificateIssuer().crl(pki.mx().issuingCa(), Instant.now().minus(Duration.ofDays(2)),
                Instant.now().minus(Duration.ofDays(1)), BigInteger.valueOf(50), revocations(Country.MX)));

        assertReloadRefused("expired at");
        assertEveryListenerKeepsItsTrust();
    }

    @Test
    void a_crl_set_missing_a_ca_is_refused() throws IOException {
        // the MX root's CRL replaced by a second copy of the MX issuing CA's: the MX root has no CRL left
        Files.copy(pkiDir.resolve("mx/issuing-ca.crl.pem"), pkiDir.resolve("mx/root-ca.crl.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertReloadRefused("no CRL of \"CN=Puente SAMPLE MX Root CA");
        assertEveryListenerKeepsItsTrust();
    }

    @Test
    void a_good_reload_reaches_the_listeners_at_once_and_clears_the_failure_gauge() {
        IssuedCredential iceHsi = pki.us().agency("ICE-HSI");
        List<Revocation> more = new ArrayList<>(revocations(Country.US));
        more.add(Revocation.of(iceHsi.certificate(), Instant.now().minusSeconds(30), Revocation.Reason.KEY_COMPROMISE));
        writeCrl("us/issuing-ca.crl.pem", new CertificateIssuer().crl(pki.us().issuingCa(), Instant.now().minusSeconds(2),
                Instant.now().plus(Duration.ofDays(7)), BigInteger.valueOf(3), more));

        HttpResponse<byte[]> r = reload();

        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(json(r).path("crls").asInt()).isEqualTo(4);
        assertThat(gauge("gateway.crl.reload.failed")).isZero();
        TlsRefusal.assertRefusedDuringHandshake(agency(iceHsi), us.ports().agency(), "/api/v1/inbox",
                TlsRefusal.CERTIFICATE_UNKNOWN);
        assertEveryListenerKeepsItsTrust();
        // and back: a newer CRL without it (the next tests expect ICE-HSI in)
        writeGoodCrls();
        assertThat(reload().statusCode()).isEqualTo(200);
    }

    // --- the checks ---

    private void assertReloadRefused(String reason) {
        long failedBefore = failedReloadEvents();
        HttpResponse<byte[]> r = reload();

        assertThat(r.statusCode()).as(text(r)).isEqualTo(422);
        assertThat(json(r).path("code").asText()).isEqualTo("crls_refused");
        assertThat(json(r).path("message").asText()).contains(reason).contains("The previous CRLs stay in force");
        assertThat(failedReloadEvents()).as("a failed CRLS_RELOADED audit event").isEqualTo(failedBefore + 1);
        assertThat(gauge("gateway.crl.reload.failed")).as("gateway_crl_reload_failed").isEqualTo(1);
    }

    /** On each listener: the revoked certificate refused during the handshake, the good one answered. */
    private static void assertEveryListenerKeepsItsTrust() {
        // agency listener
        TlsRefusal.assertRefusedDuringHandshake(tls("us/agency-cbp-revoked.p12", "us"), us.ports().agency(),
                "/api/v1/inbox", TlsRefusal.CERTIFICATE_UNKNOWN);
        assertThat(AgencyClient.sample(pkiDir, Country.US, "agency-cbp", us.ports().agency()).get("/api/v1/inbox")
                .statusCode()).isEqualTo(200);
        // operations listener
        TlsRefusal.assertRefusedDuringHandshake(AgencyClient.context(revokedOperator, pki.us()), us.ports().ops(),
                "/ops/v1/delivery", TlsRefusal.CERTIFICATE_UNKNOWN);
        assertThat(operator().get("/ops/v1/delivery").statusCode()).isEqualTo(200);
        // peer listener
        assertThat(TlsRefusal.handshakeAlert(AgencyClient.context(revokedMxTls, pki.us()), us.ports().peer()))
                .as("the revoked MX gateway TLS certificate").isEqualTo(TlsRefusal.CERTIFICATE_UNKNOWN);
        RawHttps.Answer peer = RawHttps.declared(AgencyClient.context(pki.mx().gatewayTls(), pki.us()), us.ports().peer(), "POST",
                "/peer/v1/ping", "application/json", 2);
        assertThat(peer.status()).as("the MX gateway gets an HTTP answer: " + peer.text()).isEqualTo(400);
    }

    // --- helpers ---

    private static HttpResponse<byte[]> reload() {
        return operator().post("/ops/v1/crls/reload", "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static AgencyClient operator() {
        return AgencyClient.sample(pkiDir, Country.US, "operator", us.ports().ops());
    }

    private static SSLContext agency(IssuedCredential credential) {
        return AgencyClient.context(credential, pki.us());
    }

    private static long failedReloadEvents() {
        return us.count("SELECT count(*) FROM audit_event WHERE event = 'CRLS_RELOADED' AND outcome = 'FAILED'"
                + " AND detail LIKE '%crls_refused%the previous CRLs stay in force%'");
    }

    private static double gauge(String name) {
        PrometheusMeterRegistry registry = us.context().getRegistry()
                .lookupByNameAndType("prometheusMeterRegistry", PrometheusMeterRegistry.class);
        return registry.get(name).gauge().value();
    }

    private static IssuedCredential client(CountryPki country, String subject) {
        return new CertificateIssuer().issue(country.issuingCa(), CertificateSpec.builder(subject, pki.profile().generateKeyPair())
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build());
    }

    /** What each country's issuing CA has revoked: its revoked sample agency, and the certificate revoked here. */
    private static List<Revocation> revocations(Country country) {
        Instant at = pki.generatedAt().minus(Duration.ofMinutes(30));
        CountryPki c = pki.country(country);
        IssuedCredential second = country == Country.US ? revokedOperator : revokedMxTls;
        return List.of(Revocation.of(c.revokedAgency().certificate(), at, Revocation.Reason.KEY_COMPROMISE),
                Revocation.of(second.certificate(), at, Revocation.Reason.KEY_COMPROMISE));
    }

    /** Fresh CRLs of all four CAs (dated now, so newer than any in force), the issuing CAs' revoking as above. */
    private static void writeGoodCrls() {
        Instant now = Instant.now().minusSeconds(1);
        Instant next = now.plus(Duration.ofDays(7));
        CertificateIssuer issuer = new CertificateIssuer();
        BigInteger number = BigInteger.valueOf(now.getEpochSecond());
        for (Country country : Country.values()) {
            CountryPki c = pki.country(country);
            String folder = country.name().toLowerCase();
            writeCrl(folder + "/root-ca.crl.pem", issuer.crl(c.rootCa(), now, next, number, List.of()));
            writeCrl(folder + "/issuing-ca.crl.pem", issuer.crl(c.issuingCa(), now, next, number, revocations(country)));
        }
    }

    private static void writeCrl(String file, X509CRL crl) {
        try {
            String pem = "-----BEGIN X509 CRL-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(crl.getEncoded()) + "\n-----END X509 CRL-----\n";
            Files.writeString(pkiDir.resolve(file), pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext tls(String p12, String rootCountry) {
        return AgencyClient.context(pkiDir.resolve(p12), SamplePki.samplePassword(), pkiDir.resolve(rootCountry + "/root-ca.pem"));
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        return OpsGateways.json(r);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
