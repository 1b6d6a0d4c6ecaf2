package org.puente.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.puente.model.AgencyRef;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Sensitivity;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.error.ErrorCode;
import org.puente.model.samples.SampleMessages;
import org.puente.model.submission.Submission;

class MessageValidatorTest {
    private static final MessageValidator VALIDATOR = MessageValidator.standard();
    private static final UUID ID = UUID.fromString("0b7c1e52-8a1f-4c7e-9d3a-5f2e61c4a9b0");

    private static Submission sample(String name) {
        return VALIDATOR.validateSubmission(SampleMessages.named(name).orElseThrow().bytes()).submission().orElseThrow();
    }

    private static EnvelopeHeader headerOf(Submission s) {
        return s.toEnvelopeHeader(ID, Instant.parse("2026-11-28T20:00:00Z"), MessageCatalogue.standard());
    }

    private static List<String> problems(ValidationReport report) {
        return report.problems().stream().map(p -> p.severity() + " " + p.code().code() + " " + p.pointer()).toList();
    }

    @Test
    void a_received_message_built_from_a_valid_sample_has_no_problem() {
        for (SampleMessages.Sample s : SampleMessages.all()) {
            Submission submission = VALIDATOR.validateSubmission(s.bytes()).submission().orElseThrow();
            assertThat(VALIDATOR.validateMessage(headerOf(submission), submission.payload()).problems()).as(s.name()).isEmpty();
        }
    }

    @Test
    void received_payload_problems_point_into_the_payload() throws Exception {
        Submission s = sample("cargo.manifest.us-to-mx.json");
        ObjectNode payload = (ObjectNode) CanonicalJson.mapper().readTree(s.payload());
        ((ObjectNode) payload.withArray("equipment").get(0)).put("containerNumber", "UPRU3188060");
        payload.remove("tripNumber");

        ValidationReport report = VALIDATOR.validateMessage(headerOf(s), CanonicalJson.mapper().writeValueAsBytes(payload));

        assertThat(problems(report)).containsExactlyInAnyOrder(
                "ERROR required_field_missing /payload/tripNumber",
                "ERROR invalid_container_number /payload/equipment/0/containerNumber");
    }

    @Test
    void received_header_problems_point_at_header_fields() {
        Submission s = sample("cargo.manifest.us-to-mx.json");
        EnvelopeHeader h = headerOf(s);
        EnvelopeHeader wrong = new EnvelopeHeader(h.messageId(), "bad id with spaces", h.messageType(), h.schemaVersion(),
                h.sender(), AgencyRef.parse("MX/SAT"), "MRA-2014", h.purpose(), Sensitivity.OFFICIAL, "fr", h.createdAt(),
                Duration.ofDays(9), null);

        assertThat(problems(VALIDATOR.validateMessage(wrong, s.payload()))).containsExactlyInAnyOrder(
                "ERROR required_field_missing /priority",
                "ERROR pattern_mismatch /correlationId",
                "ERROR value_not_allowed /language",
                "ERROR route_not_allowed /receiver",
                "ERROR legal_basis_not_allowed /legalBasis",
                "ERROR sensitivity_mismatch /sensitivity",
                "ERROR invalid_time_to_live /timeToLive");
    }

    @Test
    void a_received_payload_that_is_not_json_is_malformed_at_the_payload() {
        Submission s = sample("cargo.manifest.us-to-mx.json");
        assertThat(problems(VALIDATOR.validateMessage(headerOf(s), "{\"tripNumber\":".getBytes(StandardCharsets.UTF_8))))
                .containsExactly("ERROR malformed_json /payload");
        assertThat(problems(VALIDATOR.validateMessage(headerOf(s), "[]".getBytes(StandardCharsets.UTF_8))))
                .containsExactly("ERROR wrong_type /payload");
    }

    @Test
    void rejects_a_submission_naming_another_sender_than_the_authenticated_agency() {
        byte[] doc = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();

        SubmissionCheck check = VALIDATOR.validateSubmission(doc, AgencyRef.parse("US/ICE-HSI"));

        assertThat(problems(check.report())).containsExactly("ERROR sender_mismatch /sender");
        assertThat(check.submission()).isEmpty();
        assertThat(VALIDATOR.validateSubmission(doc, AgencyRef.parse("US/CBP")).accepted()).isTrue();
    }

    @Test
    void warnings_are_reported_but_do_not_refuse_the_submission() {
        String doc = new String(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes(), StandardCharsets.UTF_8)
                .replace("ANO150312K77", "ANO150312K78");

        SubmissionCheck check = VALIDATOR.validateSubmission(doc.getBytes(StandardCharsets.UTF_8));

        assertThat(check.accepted()).isTrue();
        assertThat(check.report().hasErrors()).isFalse();
        assertThat(check.report().errors()).isEmpty();
        assertThat(check.report().warnings()).extracting(Problem::code).containsExactly(ErrorCode.RFC_CHECK_DIGIT_MISMATCH);
        assertThat(check.report().warnings().get(0).sentence(Locale.forLanguageTag("es"))).contains("ANO150312K78").contains("se acepta");
    }

    @Test
    void escapes_member_names_in_pointers() {
        String doc = new String(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes(), StandardCharsets.UTF_8)
                .replace("\"tripNumber\"", "\"weird/name~x\": 1, \"tripNumber\"");

        assertThat(problems(VALIDATOR.validateSubmission(doc.getBytes(StandardCharsets.UTF_8)).report()))
                .containsExactly("ERROR unknown_field /payload/weird~1name~0x");
    }

    @Test
    void reports_every_problem_of_header_and_payload_at_once() {
        String doc = new String(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes(), StandardCharsets.UTF_8)
                .replace("\"purpose\": \"advance-cargo-risk-assessment\"", "\"purpose\": \"curiosity\"")
                .replace("\"mode\": \"RAIL\"", "\"mode\": \"SHIP\"");

        assertThat(problems(VALIDATOR.validateSubmission(doc.getBytes(StandardCharsets.UTF_8)).report()))
                .containsExactly("ERROR purpose_not_allowed /purpose", "ERROR value_not_allowed /payload/mode");
    }

    @Test
    void accepts_both_schema_versions_of_a_type_living_side_by_side() throws Exception {
        MessageValidator two = new MessageValidator(org.puente.model.catalogue.TwoVersionCatalogue.load());
        ObjectNode doc = (ObjectNode) CanonicalJson.mapper().readTree(SampleMessages.named("cargo.manifest.mx-to-us.json").orElseThrow().bytes());
        doc.put("schemaVersion", "1.0");

        SubmissionCheck v10 = two.validateSubmission(CanonicalJson.mapper().writeValueAsBytes(doc));
        doc.put("schemaVersion", "1.1");
        ((ObjectNode) doc.get("payload")).put("inBondMovementId", "V23041182");
        SubmissionCheck v11 = two.validateSubmission(CanonicalJson.mapper().writeValueAsBytes(doc));
        doc.put("schemaVersion", "1.0");
        SubmissionCheck v10WithNewField = two.validateSubmission(CanonicalJson.mapper().writeValueAsBytes(doc));
        doc.put("schemaVersion", "1.2");
        SubmissionCheck v12 = two.validateSubmission(CanonicalJson.mapper().writeValueAsBytes(doc));

        assertThat(v10.accepted()).isTrue();
        assertThat(problems(v10.report())).containsExactly("WARNING schema_version_deprecated /schemaVersion");
        assertThat(v10.report().warnings().get(0).args()).containsExactly("cargo.manifest", "1.0", "1.1");
        assertThat(v11.accepted()).isTrue();
        assertThat(v11.report().problems()).isEmpty();
        assertThat(v11.submission().orElseThrow().header().schemaVersion()).isEqualTo("1.1");
        assertThat(problems(v10WithNewField.report())).containsExactlyInAnyOrder(
                "WARNING schema_version_deprecated /schemaVersion", "ERROR unknown_field /payload/inBondMovementId");
        assertThat(problems(v12.report())).containsExactly("ERROR unsupported_schema_version /schemaVersion");
        assertThat(v12.report().problems().get(0).args()).containsExactly("cargo.manifest", "1.2", "1.0, 1.1");
    }

    @Test
    void is_safe_to_share_between_threads() {
        List<SampleMessages.Sample> samples = SampleMessages.all();
        List<Boolean> accepted = java.util.stream.IntStream.range(0, 400).parallel()
                .mapToObj(i -> VALIDATOR.validateSubmission(samples.get(i % samples.size()).bytes()).accepted())
                .toList();
        assertThat(accepted).containsOnly(true);
    }

    @Test
    void problems_serialize_with_their_code_and_pointer() throws Exception {
        Problem p = Problem.error(ErrorCode.INVALID_HS_CODE, "/payload/shipments/0/goods/0/hsCode", "8708.40");
        String json = CanonicalJson.mapper().writeValueAsString(p);
        assertThat(json).isEqualTo("{\"severity\":\"ERROR\",\"code\":\"invalid_hs_code\","
                + "\"pointer\":\"/payload/shipments/0/goods/0/hsCode\",\"args\":[\"8708.40\"]}");
        assertThat(CanonicalJson.read(json.getBytes(StandardCharsets.UTF_8), Problem.class)).isEqualTo(p);
        assertThat(CanonicalJson.mapper().writeValueAsString(new ValidationReport(List.of(p)))).startsWith("{\"problems\":[{\"severity\"");
    }
}
