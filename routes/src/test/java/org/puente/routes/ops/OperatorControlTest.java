package org.puente.routes.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CountryPki;
import org.puente.certs.Revocation;
import org.puente.certs.SamplePki;
import org.puente.model.Country;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.Poll;
import org.puente.routes.testing.TlsRefusal;

/**
 * The operators' controls on the operations API: suspend and resume outbound delivery (messages
 * keep being accepted and queue), the expiry sweep while suspended, the dead-letter list and
 * re-drive, CRL reload — each audited with the operator's certificate subject — and who may use
 * them.
 */
class OperatorControlTest {
    private static final String JSON = "application/json";

    @TempDir
    static Path dir;
    static OpsGateways gateways;

    @BeforeAll
    static void start() {
        gateways = OpsGateways.start(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
    }

    @AfterEach
    void resume_delivery() {
        assertThat(post("/ops/v1/delivery/resume", "{}").statusCode()).isEqualTo(200);
    }

    static boolean suspended() {
        return gateways.us.gateway().operatorActions().state().suspended();
    }

    static HttpResponse<byte[]> post(String path, String body) {
        return gateways.operator.post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_suspended_gateway_accepts_and_queues_and_delivers_after_resume_and_both_switches_are_audited() {
        HttpResponse<byte[]> suspended = post("/ops/v1/delivery/suspend", "{\"reason\":\"peer maintenance window\"}");
        assertThat(suspended.statusCode()).as(new String(suspended.body())).isEqualTo(200);
        assertThat(OpsGateways.json(suspended).path("suspended").asBoolean()).isTrue();

        assertThat(gateways.us.count("SELECT COUNT(*) FROM control WHERE name = 'peer-delivery' AND value = 'SUSPENDED'"
                + " AND reason = 'peer maintenance window' AND actor LIKE 'CN=US operator%'"))
                .as("the switch is a row of the database, which every instance's claims read").isEqualTo(1);

        NotifyBuilder cycles = new NotifyBuilder(gateways.us.context()).fromRoute("work-peer-envelope").whenCompleted(5).create();
        String id = gateways.submit(OpsGateways.manifest(null));
        assertThat(cycles.matches(20, TimeUnit.SECONDS)).as("the work route ran while suspended").isTrue();
        assertThat(gateways.state(id)).isEqualTo("PENDING");
        assertThat(gateways.inAnamMailbox(id)).isFalse();
        assertThat(gateways.us.count("SELECT COUNT(*) FROM work WHERE kind = 'PEER_ENVELOPE' AND ref = ? AND attempts = 0"
                + " AND lease_owner IS NULL", id)).as("its job waits unclaimed").isEqualTo(1);
        // the dashboard shows the health monitor's last measurement, taken every second: wait (bounded) for one after the submission
        JsonNode state = Poll.until(Duration.ofSeconds(5), () -> Optional.of(OpsGateways.json(gateways.operator.get(
                "/ops/v1/dashboard/state"))).filter(s -> s.path("queues").path("outboxDepth").asLong() > 0)).orElseGet(
                () -> OpsGateways.json(gateways.operator.get("/ops/v1/dashboard/state")));
        assertThat(state.path("delivery").path("suspended").asBoolean()).isTrue();
        assertThat(state.path("queues").path("outboxDepth").asLong()).as("%s", state).isPositive();

        HttpResponse<byte[]> resumed = post("/ops/v1/delivery/resume", "{}");
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(OpsGateways.json(resumed).path("suspended").asBoolean()).isFalse();
        assertThat(gateways.awaitState(id, "RECEIPTED", Duration.ofSeconds(30))).isIn("RECEIPTED", "DELIVERED");
        assertThat(gateways.inAnamMailbox(id)).isTrue();

        assertThat(gateways.usAudit("ROUTE_SUSPENDED")).anySatisfy(line -> assertThat(line)
                .startsWith("CN=US operator").contains("| OK |", "peer maintenance window"));
        assertThat(gateways.usAudit("ROUTE_RESUMED")).anySatisfy(line -> assertThat(line).startsWith("CN=US operator"));
    }

    @Test
    void messages_expire_on_time_while_suspended_and_a_redrive_delivers_them_under_a_renewed_header() {
        assertThat(post("/ops/v1/delivery/suspend", "{}").statusCode()).isEqualTo(200);
        String id = gateways.submit(OpsGateways.manifest("PT2S"));
        assertThat(gateways.awaitState(id, "EXPIRED", Duration.ofSeconds(20))).isEqualTo("EXPIRED");
        JsonNode list = OpsGateways.json(gateways.operator.get("/ops/v1/dead-letters"));
        assertThat(list.path("count").asLong()).isPositive();
        JsonNode dead = null;
        for (JsonNode d : list.path("deadLetters")) {
            dead = id.equals(d.path("messageId").asText()) ? d : dead;
        }
        assertThat(dead).as("the expired message's job is a dead letter: " + list).isNotNull();
        assertThat(dead.path("kind").asText()).isEqualTo("PEER_ENVELOPE");
        assertThat(dead.path("messageType").asText()).isEqualTo("cargo.manifest");
        assertThat(dead.path("receiver").asText()).isEqualTo("MX/ANAM");
        assertThat(dead.path("lastErrorCode").asText()).isEqualTo("message_expired");
        assertThat(list.path("deadLetters").toString()).doesNotContain("payload", "UP7720261128SB01");
        assertThat(gateways.usAudit("EXPIRED")).anySatisfy(line -> assertThat(line).endsWith(id));

        assertThat(post("/ops/v1/delivery/resume", "{}").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> redriven = post("/ops/v1/dead-letters/" + id + "/redrive", "{}");
        assertThat(redriven.statusCode()).as(new String(redriven.body())).isEqualTo(200);
        JsonNode answer = OpsGateways.json(redriven);
        assertThat(answer.path("messageId").asText()).isEqualTo(id);
        assertThat(answer.path("state").asText()).isEqualTo("PENDING");
        assertThat(answer.path("kinds").toString()).isEqualTo("[\"PEER_ENVELOPE\"]");
        assertThat(Instant.parse(answer.path("expiresAt").asText())).as("a new time-to-live from the re-drive")
                .isAfter(Instant.now());
        assertThat(gateways.awaitState(id, "RECEIPTED", Duration.ofSeconds(30))).isIn("RECEIPTED", "DELIVERED");
        assertThat(gateways.inAnamMailbox(id)).as("the peer accepted the renewed envelope").isTrue();
        assertThat(gateways.usAudit("MESSAGE_REDRIVEN")).anySatisfy(line -> assertThat(line)
                .startsWith("CN=US operator").endsWith(id));
        JsonNode history = OpsGateways.json(gateways.cbp.get("/api/v1/messages/" + id)).path("history");
        assertThat(history.findValuesAsText("status")).contains("ACCEPTED", "EXPIRED", "SENT", "RECEIPTED");
    }

    @Test
    void redrive_all_puts_every_dead_letter_back_in_the_queue() {
        assertThat(post("/ops/v1/delivery/suspend", "{}").statusCode()).isEqualTo(200);
        String a = gateways.submit(OpsGateways.manifest("PT1S"));
        String b = gateways.submit(OpsGateways.manifest("PT1S"));
        assertThat(gateways.awaitState(a, "EXPIRED", Duration.ofSeconds(20))).isEqualTo("EXPIRED");
        assertThat(gateways.awaitState(b, "EXPIRED", Duration.ofSeconds(20))).isEqualTo("EXPIRED");
        HttpResponse<byte[]> all = post("/ops/v1/dead-letters/redrive", "{}");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(OpsGateways.json(all).path("redriven").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(gateways.state(a)).isEqualTo("PENDING");
        assertThat(gateways.state(b)).isEqualTo("PENDING");
        assertThat(OpsGateways.json(gateways.operator.get("/ops/v1/dead-letters")).path("count").asLong()).isZero();
    }

    @Test
    void redriving_a_message_that_is_not_a_dead_letter_is_not_found() {
        HttpResponse<byte[]> unknown = post("/ops/v1/dead-letters/" + UUID.randomUUID() + "/redrive", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(OpsGateways.json(unknown).path("code").asText()).isEqualTo("not_found");
        String delivered = gateways.submit(OpsGateways.manifest(null));
        HttpResponse<byte[]> live = post("/ops/v1/dead-letters/" + delivered + "/redrive", "{}");
        assertThat(live.statusCode()).isEqualTo(404);
        assertThat(OpsGateways.json(live).path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void reloading_the_crls_is_audited_with_the_operator() {
        HttpResponse<byte[]> r = post("/ops/v1/crls/reload", "{}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(OpsGateways.json(r).path("crls").asInt()).isEqualTo(4);
        assertThat(gateways.usAudit("CRLS_RELOADED")).anySatisfy(line -> assertThat(line)
                .startsWith("CN=US operator").contains("| OK |", "4 CRLs reloaded"));
    }

    @Test
    void a_client_certificate_revoked_in_a_reloaded_crl_is_refused_during_the_tls_handshake_and_a_valid_one_still_gets_in()
            throws Exception {
        int agencyPort = gateways.us.ports().agency();
        AgencyClient iceHsiBefore = AgencyClient.sample(gateways.pki, Country.US, "agency-ice-hsi", agencyPort);
        assertThat(iceHsiBefore.get("/api/v1/inbox").statusCode()).as("ICE-HSI is let in before the new CRL").isEqualTo(200);
        CountryPki us = gateways.samplePki.us();
        X509CRL current = us.issuingCrl();
        Instant now = Instant.now();
        X509CRL next = new CertificateIssuer().crl(us.issuingCa(), now, now.plus(Duration.ofDays(7)),
                CRLNumber.getInstance(JcaX509ExtensionUtils.parseExtensionValue(current.getExtensionValue(Extension.cRLNumber.getId())))
                        .getCRLNumber().add(BigInteger.ONE),
                List.of(Revocation.of(us.revokedAgency().certificate(), now.minus(Duration.ofDays(1)), Revocation.Reason.KEY_COMPROMISE),
                        Revocation.of(us.agency("ICE-HSI").certificate(), now, Revocation.Reason.KEY_COMPROMISE)));
        Files.writeString(gateways.pki.resolve("us/issuing-ca.crl.pem"), pem(next));

        HttpResponse<byte[]> reloaded = post("/ops/v1/crls/reload", "{}");

        assertThat(reloaded.statusCode()).as(new String(reloaded.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(OpsGateways.json(reloaded).path("crls").asInt()).isEqualTo(4);
        // A fresh TLS context, so a new full handshake: the reload governs new handshakes only. A client
        // that keeps its open connection, or resumes its TLS session, is still let in after it.
        TlsRefusal.assertRefusedDuringHandshake(AgencyClient.context(gateways.pki.resolve("us/agency-ice-hsi.p12"),
                SamplePki.samplePassword(), gateways.pki.resolve("us/root-ca.pem")), agencyPort, "/api/v1/inbox",
                TlsRefusal.CERTIFICATE_UNKNOWN);
        assertThat(AgencyClient.sample(gateways.pki, Country.US, "agency-cbp", agencyPort).get("/api/v1/inbox").statusCode())
                .as("a certificate the new CRL does not list still gets in").isEqualTo(200);
    }

    /** A CRL in the PEM form the gateway reads ({@code puente.pki.crls}). */
    private static String pem(X509CRL crl) throws Exception {
        return "-----BEGIN X509 CRL-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(crl.getEncoded()) + "\n-----END X509 CRL-----\n";
    }

    @Test
    void auditors_may_look_but_not_act_and_agencies_may_do_neither() {
        assertThat(gateways.auditor.get("/ops/v1/dead-letters").statusCode()).isEqualTo(200);
        assertThat(gateways.auditor.get("/ops/v1/dashboard/state").statusCode()).isEqualTo(200);
        for (String path : List.of("/ops/v1/delivery/suspend", "/ops/v1/delivery/resume", "/ops/v1/dead-letters/redrive",
                "/ops/v1/crls/reload")) {
            HttpResponse<byte[]> auditor = gateways.auditor.post(path, "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(auditor.statusCode()).as(path).isEqualTo(403);
            assertThat(OpsGateways.json(auditor).path("code").asText()).isEqualTo("forbidden");
            HttpResponse<byte[]> agency = gateways.agencyOnOps.post(path, "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(agency.statusCode()).as(path).isEqualTo(403);
            assertThat(OpsGateways.json(agency).path("code").asText()).isEqualTo("forbidden");
        }
        assertThat(gateways.agencyOnOps.get("/ops/v1/dashboard").statusCode()).isEqualTo(403);
        assertThat(suspended()).isFalse();
    }

    @Test
    void a_control_call_that_is_not_json_is_refused_so_a_foreign_page_cannot_post_a_form() {
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x")) {
            HttpResponse<byte[]> r = gateways.operator.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + gateways.us.ports().ops() + "/ops/v1/delivery/suspend"))
                    .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString("reason=x")));
            assertThat(r.statusCode()).as(type).isEqualTo(415);
            assertThat(OpsGateways.json(r).path("code").asText()).isEqualTo("unsupported_media_type");
        }
        assertThat(suspended()).isFalse();
        assertThat(gateways.usAudit("ROUTE_SUSPENDED")).noneSatisfy(line -> assertThat(line).contains("reason=x"));
    }

    @Test
    void a_bad_suspend_body_is_refused_with_its_code() {
        HttpResponse<byte[]> notJson = post("/ops/v1/delivery/suspend", "{reason");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(OpsGateways.json(notJson).path("code").asText()).isEqualTo("malformed_json");
        HttpResponse<byte[]> notText = post("/ops/v1/delivery/suspend", "{\"reason\":42}");
        assertThat(notText.statusCode()).isEqualTo(400);
        assertThat(OpsGateways.json(notText).path("code").asText()).isEqualTo("wrong_type");
        HttpResponse<byte[]> tooLong = post("/ops/v1/delivery/suspend", "{\"reason\":\"" + "x".repeat(201) + "\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(OpsGateways.json(tooLong).path("code").asText()).isEqualTo("too_long");
        assertThat(suspended()).isFalse();
    }

    @Test
    void the_dashboard_page_is_self_contained_and_locked_down() {
        HttpResponse<byte[]> page = gateways.operator.get("/ops/v1/dashboard");
        assertThat(page.statusCode()).isEqualTo(200);
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(html).contains("<script>", "<style>").doesNotContainPattern("(src|href)=\"(https?:)?//");
        Optional<String> csp = page.headers().firstValue("Content-Security-Policy");
        assertThat(csp).hasValueSatisfying(p -> assertThat(p).contains("default-src 'none'", "script-src 'sha256-",
                "frame-ancestors 'none'", "connect-src 'self'"));
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }
}
