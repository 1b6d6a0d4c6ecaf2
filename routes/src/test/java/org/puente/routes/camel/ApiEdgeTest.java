package org.puente.routes.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.SamplePki;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.TlsRefusal;

/**
 * The edge of the gateway's listeners on a started US gateway ({@link RouteTestGateway}): who is
 * let in (TLS trust, revocation, the configured client list, the peer's name) and what of an HTTP
 * request gets past the edge (only the typed {@code ApiRequest}, never a header the client chose).
 */
@ExtendWith(RouteTestGateway.class)
class ApiEdgeTest {
    private static final byte[] MANIFEST = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();

    private final RouteTestGateway.Started gateway = RouteTestGateway.gateway();
    private final X509Certificate usRoot = gateway.pki.us().trustAnchor();

    @Test
    void a_certificate_of_our_own_ca_that_no_configured_client_holds_is_answered_403_forbidden() throws Exception {
        KeyPair keys = gateway.pki.profile().generateKeyPair();
        CertificateSpec spec = CertificateSpec.builder("CN=Unlisted agency system, OU=CBP, O=Puente SAMPLE - NOT FOR PRODUCTION, C=US",
                keys).keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.CLIENT_AUTH).build();
        IssuedCredential unlisted = new CertificateIssuer().issue(gateway.pki.us().issuingCa(), spec);
        AgencyClient client = new AgencyClient(AgencyClient.context(keyStore(unlisted), PASSWORD, usRoot), gateway.agencyBase());

        HttpResponse<byte[]> answer = client.post("/api/v1/messages", MANIFEST);

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(json(answer.body()).get("code").asText()).isEqualTo("forbidden");
        assertThat(client.get("/api/v1/inbox").statusCode()).isEqualTo(403);
    }

    @Test
    void the_revoked_sample_agency_certificate_is_refused_during_the_tls_handshake() {
        SSLContext revoked = context("us/agency-cbp-revoked.p12", "us/root-ca.pem");

        TlsRefusal.assertRefusedDuringHandshake(revoked, gateway.us.ports().agency(), "/api/v1/inbox", TlsRefusal.CERTIFICATE_UNKNOWN);
    }

    @Test
    void an_agency_certificate_of_the_other_country_is_refused_during_the_tls_handshake_on_the_agency_listener() {
        SSLContext anam = context("mx/agency-anam.p12", "us/root-ca.pem");

        TlsRefusal.assertRefusedDuringHandshake(anam, gateway.us.ports().agency(), "/api/v1/inbox", TlsRefusal.BAD_CERTIFICATE);
    }

    @Test
    void a_client_without_a_certificate_is_refused_during_the_tls_handshake() {
        SSLContext anonymous = AgencyClient.context(null, null, usRoot);

        TlsRefusal.assertRefusedDuringHandshake(anonymous, gateway.us.ports().agency(), "/api/v1/inbox", TlsRefusal.BAD_CERTIFICATE);
    }

    @Test
    void the_sample_agency_certificate_is_let_in_which_is_what_makes_the_refusals_above_meaningful() {
        HttpResponse<byte[]> page = gateway.agencyClient("us/agency-cbp.p12").get("/api/v1/inbox");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(json(page.body()).has("messages")).isTrue();
    }

    @Test
    void the_peer_listener_refuses_an_agency_certificate_of_the_peer_country_during_the_tls_handshake() {
        // ANAM's certificate chains to the MX root, which the peer listener trusts; but it is not the MX gateway's
        // (its name), so the listener's trust refuses it before any HTTP byte (issue 13)
        SSLContext anamOnPeer = context("mx/agency-anam.p12", "us/root-ca.pem");

        TlsRefusal.assertRefusedDuringHandshake(anamOnPeer, gateway.us.ports().peer(), "/peer/v1/ping",
                TlsRefusal.CERTIFICATE_UNKNOWN);
    }

    @Test
    void the_peer_listener_refuses_our_own_agencies_during_the_tls_handshake() {
        SSLContext cbpOnPeer = context("us/agency-cbp.p12", "us/root-ca.pem");

        TlsRefusal.assertRefusedDuringHandshake(cbpOnPeer, gateway.us.ports().peer(), "/peer/v1/ping", TlsRefusal.BAD_CERTIFICATE);
    }

    @Test
    void transport_headers_sent_by_a_client_never_reach_the_handler() {
        AgencyClient cbp = gateway.agencyClient("us/agency-cbp.p12");
        String id = json(cbp.post("/api/v1/messages", MANIFEST).body()).get("messageId").asText();
        String other = UUID.randomUUID().toString();

        HttpResponse<byte[]> answer = cbp.send(HttpRequest.newBuilder(URI.create(gateway.agencyBase() + "/api/v1/messages/" + id))
                .header("CamelHttpPath", "/api/v1/inbox")
                .header("CamelHttpUri", "https://attacker.example/")
                .header("CamelHttpMethod", "DELETE")
                .header("GwOperation", "inbox")
                .header("GwRequest", "forged")
                .header("operationName", "inbox")
                .header("id", other)
                .GET());

        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(json(answer.body()).get("messageId").asText()).isEqualTo(id);
        RouteTestGateway.Seen seen = gateway.seen.get("status");
        assertThat(seen.request().operation()).isEqualTo("status");
        assertThat(seen.request().params()).isEqualTo(Map.of("id", id));
        assertThat(seen.request().caller().clientId()).isEqualTo("cbp");
        assertThat(seen.headers()).as("no header survives the edge").isEmpty();
    }

    @Test
    void query_parameters_cannot_be_replaced_by_headers_of_the_same_name() {
        AgencyClient cbp = gateway.agencyClient("us/agency-cbp.p12");

        HttpResponse<byte[]> answer = cbp.send(HttpRequest.newBuilder(URI.create(gateway.agencyBase() + "/api/v1/inbox?limit=1"))
                .header("limit", "500")
                .header("after", "123456")
                .GET());

        assertThat(answer.statusCode()).isEqualTo(200);
        RouteTestGateway.Seen seen = gateway.seen.get("inbox");
        assertThat(seen.request().operation()).isEqualTo("inbox");
        assertThat(seen.request().params()).isEqualTo(Map.of("limit", "1"));
        assertThat(seen.headers()).isEmpty();
    }

    private static final char[] PASSWORD = "test".toCharArray();

    /** The TLS context of the sample PKCS#12 {@code file}, trusting the sample {@code root}. */
    private SSLContext context(String file, String root) {
        return AgencyClient.context(gateway.pkiFile(file), SamplePki.samplePassword(), gateway.pkiFile(root));
    }

    private static KeyStore keyStore(IssuedCredential credential) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", credential.key(), PASSWORD, credential.chainArray());
        return ks;
    }

    private static JsonNode json(byte[] body) {
        return ErrorHandlingRouteTest.json(body);
    }
}
