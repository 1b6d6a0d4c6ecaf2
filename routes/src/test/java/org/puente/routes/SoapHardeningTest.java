package org.puente.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Hostile XML at the SOAP door, sent raw over mutual TLS with a valid agency certificate: external
 * entities, external DTDs, entity expansion (billion laughs), deep nesting, element floods,
 * oversized and malformed documents. Each is answered with a clean fault carrying
 * {@code malformed_xml} (or the REST code for the same refusal) and leaves nothing stored.
 */
class SoapHardeningTest {
    static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String NS = "urn:puente:agency:v1";

    @TempDir
    static Path dir;
    static GatewayHarness us;
    static AgencyClient cbp;
    static String url;
    long outboxBefore;
    long auditBefore;

    @BeforeAll
    static void start() {
        Path pki = dir.resolve("pki");
        SamplePki.generate().writeTo(pki, SamplePki.samplePassword());
        GatewayHarness.Ports usPorts = GatewayHarness.Ports.free();
        us = GatewayHarness.start(Country.US, pki, dir.resolve("us"), usPorts, GatewayHarness.Ports.free(),
                Map.of("puente.limits.max-payload-bytes", "65536"));
        url = "https://localhost:" + usPorts.agency();
        cbp = AgencyClient.sample(pki, Country.US, "agency-cbp", usPorts.agency());
    }

    @AfterAll
    static void stop() {
        if (us != null) {
            us.close();
        }
    }

    @BeforeEach
    void counts() {
        outboxBefore = count("SELECT COUNT(*) FROM outbox");
        auditBefore = count("SELECT COUNT(*) FROM audit_event WHERE event = 'SUBMITTED'");
    }

    @Test
    void a_well_formed_raw_request_is_accepted_so_the_refusals_below_are_about_their_xml() {
        String doc = escape(new String(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes(),
                StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = post(envelope("<p:SubmitRequest><p:document>" + doc + "</p:document></p:SubmitRequest>"));
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(text(r)).contains("<messageId>").contains("ACCEPTED");
        assertThat(count("SELECT COUNT(*) FROM outbox")).isEqualTo(outboxBefore + 1);
    }

    @Test
    void an_external_entity_is_refused_and_the_file_it_names_is_never_read() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-MARKER");
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + envelope("<p:SubmitRequest><p:document>&xxe;</p:document></p:SubmitRequest>");
        HttpResponse<byte[]> r = post(xml);
        assertRefused(r, "malformed_xml");
        assertThat(text(r)).doesNotContain("TOP-SECRET-MARKER");
    }

    @Test
    void an_external_dtd_is_refused_without_being_fetched() throws Exception {
        try (ServerSocket trap = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String xml = "<?xml version=\"1.0\"?><!DOCTYPE e SYSTEM \"http://127.0.0.1:" + trap.getLocalPort() + "/evil.dtd\">"
                    + envelope("<p:ListInboxRequest/>");
            assertRefused(post(xml), "malformed_xml");
            trap.setSoTimeout(300);
            assertThatThrownBy(trap::accept).as("the gateway connected to the DTD's address")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void billion_laughs_is_refused_before_any_expansion() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            dtd.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        String xml = "<?xml version=\"1.0\"?>" + dtd + envelope("<p:SubmitRequest><p:document>&lol9;</p:document></p:SubmitRequest>");
        long start = System.nanoTime();
        assertRefused(post(xml), "malformed_xml");
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(5_000);
    }

    @Test
    void nesting_deeper_than_the_bound_is_refused() {
        String deep = "<x>".repeat(10_000) + "</x>".repeat(10_000);
        String xml = "<soap:Envelope xmlns:soap=\"" + SOAP + "\" xmlns:p=\"" + NS + "\"><soap:Header>" + deep
                + "</soap:Header><soap:Body><p:ListInboxRequest/></soap:Body></soap:Envelope>";
        assertRefused(post(xml), "malformed_xml");
    }

    @Test
    void a_flood_of_elements_is_refused() {
        // 50,000 children (far above the parser's 256), 200 KB: under the listener's body limit, so the parser meets it
        String flood = "<x/>".repeat(50_000);
        String xml = "<soap:Envelope xmlns:soap=\"" + SOAP + "\" xmlns:p=\"" + NS + "\"><soap:Header><h>" + flood
                + "</h></soap:Header><soap:Body><p:ListInboxRequest/></soap:Body></soap:Envelope>";
        assertRefused(post(xml), "malformed_xml");
    }

    @Test
    void a_document_above_the_limit_is_payload_too_large_as_over_rest_and_a_huge_one_never_reaches_the_pipeline() {
        String big = "{\"x\":\"" + "a".repeat(100_000) + "\"}";
        HttpResponse<byte[]> soap = post(envelope("<p:SubmitRequest><p:document>" + big + "</p:document></p:SubmitRequest>"));
        assertRefused(soap, "payload_too_large");
        assertThat(cbp.post("/api/v1/messages", big.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(413);

        // above the agency listener's body limit (2 x (payload + 128 KiB) = 384 KiB here): refused before it is read
        String huge = "a".repeat(1_000_000);
        assertRefused(post(envelope("<p:SubmitRequest><p:document>" + huge + "</p:document></p:SubmitRequest>")),
                "payload_too_large");
    }

    @Test
    void xml_that_is_not_well_formed_is_refused() {
        assertRefused(post(envelope("<p:SubmitRequest><p:document>{}</p:SubmitRequest>")), "malformed_xml");
        assertRefused(post("not xml at all"), "malformed_xml");
    }

    @Test
    void an_element_the_wsdl_does_not_know_is_refused() {
        assertRefused(post(envelope("<p:DeleteEverything/>")), "malformed_xml");
        assertRefused(post(envelope("<p:SubmitRequest><p:document>{}</p:document><p:extra>1</p:extra></p:SubmitRequest>")),
                "malformed_xml");
    }

    @Test
    void a_value_the_wsdl_schema_forbids_is_refused_before_the_pipeline() {
        String key = "k".repeat(129);
        HttpResponse<byte[]> r = post(envelope("<p:SubmitRequest><p:document>{}</p:document><p:idempotencyKey>" + key
                + "</p:idempotencyKey></p:SubmitRequest>"));
        assertRefused(r, "malformed_xml");
        assertThat(text(r)).contains("schema of the WSDL");
    }

    private void assertRefused(HttpResponse<byte[]> r, String code) {
        assertThat(r.statusCode()).as(text(r)).isEqualTo(500);
        Document fault = parse(r.body());
        assertThat(fault.getElementsByTagNameNS(SOAP, "Fault").getLength()).as(text(r)).isEqualTo(1);
        NodeList codes = fault.getElementsByTagNameNS(NS, "code");
        assertThat(codes.getLength()).as(text(r)).isGreaterThan(0);
        assertThat(codes.item(0).getTextContent()).as(text(r)).isEqualTo(code);
        assertThat(text(r)).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(count("SELECT COUNT(*) FROM outbox")).as("outbox rows").isEqualTo(outboxBefore);
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE event = 'SUBMITTED'")).isEqualTo(auditBefore);
    }

    static String envelope(String body) {
        return "<soap:Envelope xmlns:soap=\"" + SOAP + "\" xmlns:p=\"" + NS + "\"><soap:Body>" + body
                + "</soap:Body></soap:Envelope>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }

    static HttpResponse<byte[]> post(String xml) {
        return cbp.send(HttpRequest.newBuilder(URI.create(url + "/soap/v1/agency"))
                .header("Content-Type", "text/xml; charset=UTF-8").header("SOAPAction", "\"\"")
                .POST(HttpRequest.BodyPublishers.ofString(xml)));
    }

    static String text(HttpResponse<byte[]> r) {
        String t = new String(r.body(), StandardCharsets.UTF_8);
        return t.length() > 2000 ? t.substring(0, 2000) : t;
    }

    /** Our own reading of the answer is hardened too. */
    static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new IllegalStateException("not XML: " + new String(xml, StandardCharsets.UTF_8), e);
        }
    }

    static long count(String sql) {
        return us.count(sql);
    }
}
