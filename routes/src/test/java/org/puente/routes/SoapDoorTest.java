package org.puente.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.model.CanonicalJson;
import org.puente.model.samples.SampleMessages;
import org.puente.model.submission.SubmissionParser;
import org.puente.routes.soap.v1.AcknowledgeRequest;
import org.puente.routes.soap.v1.AnswerRequest;
import org.puente.routes.soap.v1.AnswerResponse;
import org.puente.routes.soap.v1.Agency;
import org.puente.routes.soap.v1.GetStatusRequest;
import org.puente.routes.soap.v1.GetStatusResponse;
import org.puente.routes.soap.v1.ListInboxRequest;
import org.puente.routes.soap.v1.MailboxMessage;
import org.puente.routes.soap.v1.PuenteFault;
import org.puente.routes.soap.v1.Reason;
import org.puente.routes.soap.v1.StatusEntry;
import org.puente.routes.soap.v1.SubmitRequest;
import org.puente.routes.soap.v1.SubmitResponse;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;
import org.puente.routes.testing.SoapAgencyClient;

/**
 * The SOAP door in one JVM with two gateways: a client generated from the WSDL submits, follows,
 * lists and acknowledges over mutual TLS; refusals are faults with the REST codes and sentences.
 * Hostile XML is covered by {@link SoapHardeningTest}.
 */
class SoapDoorTest {
    @TempDir
    static Path dir;
    static GatewayPair gateways;
    static GatewayHarness us;
    static GatewayHarness mx;
    static Path pki;
    static AgencyClient cbpRest;
    static Agency cbp;
    static Agency anam;

    @BeforeAll
    static void start() {
        gateways = GatewayPair.start(dir);
        pki = gateways.pki;
        us = gateways.us;
        mx = gateways.mx;
        cbpRest = gateways.agencyClient(us, "agency-cbp");
        cbp = port("us/agency-cbp.p12", "us", us.ports().agency(), null);
        anam = port("mx/agency-anam.p12", "mx", mx.ports().agency(), null);
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
    }

    static Agency port(String p12, String country, int agencyPort, String language) {
        return SoapAgencyClient.port(pki.resolve(p12), SamplePki.samplePassword(), pki.resolve(country + "/root-ca.pem"),
                agencyPort, language);
    }

    @Test
    void a_deprecated_schema_version_is_accepted_over_soap_with_the_warning_in_the_answer() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode) CanonicalJson
                .mapper().readTree(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes());
        doc.put("schemaVersion", "1.0");

        SubmitResponse accepted = cbp.submit(submit(CanonicalJson.mapper().writeValueAsBytes(doc), null));

        assertThat(accepted.getStatus()).isEqualTo("ACCEPTED");
        assertThat(accepted.getWarning()).singleElement().satisfies(w -> {
            assertThat(w.getCode()).isEqualTo("schema_version_deprecated");
            assertThat(w.getSeverity()).isEqualTo("WARNING");
            assertThat(w.getPointer()).isEqualTo("/schemaVersion");
            assertThat(w.getMessage()).contains("1.1");
        });
        assertThat(cbp.submit(submit(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes(), null))
                .getWarning()).isEmpty();
    }

    @Test
    void a_manifest_submitted_over_soap_is_listed_byte_identical_acknowledged_and_reported_delivered() throws Exception {
        byte[] document = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        SubmitResponse accepted = cbp.submit(submit(document, null));
        assertThat(accepted.getStatus()).isEqualTo("ACCEPTED");
        assertThat(accepted.isReplayed()).isFalse();
        String id = accepted.getMessageId();

        Optional<MailboxMessage> arrived = Poll.until(Duration.ofSeconds(20), () -> inbox(anam, id));
        assertThat(arrived).isPresent();
        byte[] submitted = SubmissionParser.payloadBytes(document, SubmissionParser.parse(document));
        assertThat(arrived.get().getPayload().getBytes(StandardCharsets.UTF_8)).isEqualTo(submitted);
        JsonNode header = CanonicalJson.mapper().readTree(arrived.get().getHeader());
        assertThat(header.path("messageId").asText()).isEqualTo(id);
        assertThat(header.path("sender").path("agency").asText()).isEqualTo("CBP");

        AcknowledgeRequest ack = new AcknowledgeRequest();
        ack.setMessageId(id);
        assertThat(anam.acknowledge(ack).isAcknowledged()).isTrue();
        assertThat(inbox(anam, id)).isEmpty();

        Optional<GetStatusResponse> delivered = Poll.until(Duration.ofSeconds(20), () -> {
            try {
                GetStatusResponse s = status(cbp, id);
                return "DELIVERED".equals(s.getState()) ? Optional.of(s) : Optional.empty();
            } catch (PuenteFault e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(delivered).isPresent();
        assertThat(delivered.get().getHistory()).extracting(StatusEntry::getStatus)
                .containsExactly("ACCEPTED", "SENT", "RECEIPTED", "DELIVERED");
        assertThat(delivered.get().getMessageType()).isEqualTo("cargo.manifest");
    }

    @Test
    void a_business_answer_given_over_soap_comes_back_in_the_senders_soap_status_and_a_bad_one_is_a_fault() throws Exception {
        byte[] document = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        String id = cbp.submit(submit(document, null)).getMessageId();
        assertThat(Poll.until(Duration.ofSeconds(20), () -> inbox(anam, id))).isPresent();

        AnswerRequest refusal = new AnswerRequest();
        refusal.setMessageId(id);
        refusal.setStatus("REFUSED");
        PuenteFault noReason = catchThrowableOfType(() -> anam.answer(refusal), PuenteFault.class);
        Reason reason = new Reason();
        reason.setCode("hs_code_unknown");
        reason.setText("HS code 999999 is not in the tariff.");
        refusal.getReason().add(reason);
        AnswerResponse answered = anam.answer(refusal);
        AnswerRequest unknown = new AnswerRequest();
        unknown.setMessageId(id);
        unknown.setStatus("MAYBE");
        PuenteFault badStatus = catchThrowableOfType(() -> anam.answer(unknown), PuenteFault.class);

        assertThat(noReason.getFaultInfo().getCode()).isEqualTo("invalid_answer");
        assertThat(badStatus.getFaultInfo().getCode()).isEqualTo("invalid_answer");
        assertThat(answered.getAnswer().getStatus()).isEqualTo("REFUSED");
        assertThat(answered.getAnswer().getAgency()).isEqualTo("ANAM");
        Optional<GetStatusResponse> seen = Poll.until(Duration.ofSeconds(30), () -> {
            try {
                GetStatusResponse s = status(cbp, id);
                return s.getAnswer() == null ? Optional.empty() : Optional.of(s);
            } catch (PuenteFault e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(seen).isPresent();
        assertThat(seen.get().getAnswer().getReason()).extracting(Reason::getCode).containsExactly("hs_code_unknown");
        assertThat(seen.get().getHistory()).extracting(StatusEntry::getStatus).contains("ANSWERED");
    }

    @Test
    void an_idempotent_retry_over_soap_answers_the_first_message_id_and_a_changed_document_conflicts() throws Exception {
        byte[] document = SampleMessages.named("cargo.transit-event.us-to-mx.json").orElseThrow().bytes();
        SubmitResponse first = cbp.submit(submit(document, "soap-retry-1"));
        SubmitResponse again = cbp.submit(submit(document, "soap-retry-1"));
        assertThat(again.getMessageId()).isEqualTo(first.getMessageId());
        assertThat(again.isReplayed()).isTrue();

        byte[] other = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        PuenteFault conflict = catchThrowableOfType(() -> cbp.submit(submit(other, "soap-retry-1")), PuenteFault.class);
        assertThat(conflict.getFaultInfo().getCode()).isEqualTo("idempotency_conflict");
        assertThat(conflict.getFaultInfo().getHttpStatus()).isEqualTo(409);
    }

    @Test
    void a_refused_submission_faults_with_the_code_sentence_and_problems_of_the_rest_answer() throws Exception {
        ObjectNode doc = (ObjectNode) CanonicalJson.mapper().readTree(
                SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes());
        ((ObjectNode) doc.path("payload").path("equipment").get(0)).put("containerNumber", "MSCU1234560");
        byte[] bad = CanonicalJson.bytes(doc);

        PuenteFault fault = catchThrowableOfType(() -> cbp.submit(submit(bad, null)), PuenteFault.class);
        JsonNode rest = CanonicalJson.mapper().readTree(cbpRest.post("/api/v1/messages", bad).body());

        assertThat(fault.getFaultInfo().getCode()).isEqualTo("invalid_container_number").isEqualTo(rest.path("code").asText());
        assertThat(fault.getFaultInfo().getMessage()).isEqualTo(rest.path("message").asText());
        assertThat(fault.getMessage()).isEqualTo(rest.path("message").asText());
        assertThat(fault.getFaultInfo().getCategory()).isEqualTo("VALIDATION");
        assertThat(fault.getFaultInfo().isRetryable()).isFalse();
        assertThat(fault.getFaultInfo().getHttpStatus()).isEqualTo(400);
        assertThat(fault.getFaultInfo().getProblem()).hasSize(rest.path("problems").size());
        assertThat(fault.getFaultInfo().getProblem().get(0).getPointer())
                .isEqualTo("/payload/equipment/0/containerNumber")
                .isEqualTo(rest.path("problems").get(0).path("pointer").asText());
    }

    @Test
    void faults_speak_spanish_when_the_client_asks_for_it() throws Exception {
        Agency cbpEs = port("us/agency-cbp.p12", "us", us.ports().agency(), "es-MX");
        PuenteFault fault = catchThrowableOfType(() -> cbpEs.submit(submit("{\"messageType\":1}".getBytes(StandardCharsets.UTF_8),
                null)), PuenteFault.class);
        JsonNode rest = CanonicalJson.mapper().readTree(cbpRest.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + us.ports().agency() + "/api/v1/messages"))
                .header("Content-Type", "application/json").header("Accept-Language", "es-MX")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messageType\":1}"))).body());
        assertThat(fault.getFaultInfo().getCode()).isEqualTo(rest.path("code").asText());
        assertThat(fault.getFaultInfo().getMessage()).isEqualTo(rest.path("message").asText());
        assertThat(fault.getFaultInfo().getProblem()).extracting(p -> p.getMessage())
                .containsExactlyElementsOf(rest.path("problems").findValuesAsText("message"));
    }

    @Test
    void the_status_of_another_agencys_message_is_not_found() throws Exception {
        byte[] document = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        String id = cbp.submit(submit(document, null)).getMessageId();
        Agency ice = port("us/agency-ice-hsi.p12", "us", us.ports().agency(), null);
        PuenteFault fault = catchThrowableOfType(() -> status(ice, id), PuenteFault.class);
        assertThat(fault.getFaultInfo().getCode()).isEqualTo("not_found");
        PuenteFault notAnId = catchThrowableOfType(() -> status(cbp, "not-a-uuid"), PuenteFault.class);
        assertThat(notAnId.getFaultInfo().getCode()).isEqualTo("not_found");
    }

    @Test
    void an_operator_certificate_may_not_submit_over_soap() throws Exception {
        Agency operator = port("us/operator.p12", "us", us.ports().agency(), null);
        byte[] document = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        PuenteFault fault = catchThrowableOfType(() -> operator.submit(submit(document, null)), PuenteFault.class);
        assertThat(fault.getFaultInfo().getCode()).isEqualTo("forbidden");
        assertThat(fault.getFaultInfo().getCategory()).isEqualTo("SECURITY");
    }

    @Test
    void a_certificate_of_the_other_country_gets_no_soap_answer_at_all() {
        Agency foreign = SoapAgencyClient.port(pki.resolve("mx/agency-anam.p12"), SamplePki.samplePassword(),
                pki.resolve("us/root-ca.pem"), us.ports().agency(), null);
        Throwable t = catchThrowableOfType(() -> foreign.listInbox(new ListInboxRequest()), jakarta.xml.ws.WebServiceException.class);
        assertThat(t).isNotNull();
    }

    @Test
    void the_gateway_serves_the_checked_in_wsdl_with_its_own_address() throws Exception {
        HttpResponse<byte[]> wsdl = cbpRest.get("/soap/v1/agency?wsdl");
        assertThat(wsdl.statusCode()).isEqualTo(200);
        String text = new String(wsdl.body(), StandardCharsets.UTF_8);
        assertThat(text).contains("name=\"AgencyService\"").contains("PuenteError")
                .contains("https://localhost:" + us.ports().agency() + "/soap/v1/agency");
        assertThat(Files.readString(Path.of("../docs/wsdl/agency-v1.wsdl"))).contains("name=\"AgencyService\"");
    }

    @Test
    void rest_still_answers_on_the_same_port_beside_soap() {
        assertThat(cbpRest.get("/api/v1/inbox").statusCode()).isEqualTo(200);
    }

    static SubmitRequest submit(byte[] document, String key) {
        SubmitRequest r = new SubmitRequest();
        r.setDocument(new String(document, StandardCharsets.UTF_8));
        r.setIdempotencyKey(key);
        return r;
    }

    static GetStatusResponse status(Agency port, String id) throws PuenteFault {
        GetStatusRequest r = new GetStatusRequest();
        r.setMessageId(id);
        return port.getStatus(r);
    }

    static Optional<MailboxMessage> inbox(Agency port, String id) {
        try {
            return port.listInbox(new ListInboxRequest()).getMessage().stream().filter(m -> m.getMessageId().equals(id))
                    .findFirst();
        } catch (PuenteFault e) {
            throw new IllegalStateException(e);
        }
    }
}
