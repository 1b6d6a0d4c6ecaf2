package org.puente.model.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.puente.model.AgencyRef;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.model.samples.SampleMessages;
import org.puente.model.validation.MessageValidator;

class SubmissionTest {
    private static final UUID ID = UUID.fromString("7b1f0a52-0c1d-4e2f-9a3b-4c5d6e7f8091");
    private static final Instant NOW = Instant.parse("2026-11-28T20:14:36.123456789Z");

    private static Submission accepted(String sample) {
        return MessageValidator.standard().validateSubmission(SampleMessages.named(sample).orElseThrow().bytes())
                .submission().orElseThrow();
    }

    @Test
    void applies_the_catalogue_defaults_the_submission_leaves_out() {
        EnvelopeHeader h = accepted("cargo.manifest.us-to-mx.json").toEnvelopeHeader(ID, NOW, MessageCatalogue.standard());

        assertThat(h.messageId()).isEqualTo(ID);
        assertThat(h.correlationId()).isEqualTo(ID.toString());
        assertThat(h.sensitivity()).isEqualTo(Sensitivity.COMMERCIAL_CONFIDENTIAL);
        assertThat(h.priority()).isEqualTo(Priority.NORMAL);
        assertThat(h.timeToLive()).isEqualTo(Duration.ofHours(6));
        assertThat(h.createdAt()).isEqualTo(Instant.parse("2026-11-28T20:14:36.123Z"));
        assertThat(h.sender()).isEqualTo(AgencyRef.parse("US/CBP"));
        assertThat(h.receiver()).isEqualTo(AgencyRef.parse("MX/ANAM"));
        assertThat(h.legalBasis()).isEqualTo("CMAA-2000");
        assertThat(h.purpose()).isEqualTo("advance-cargo-risk-assessment");
        assertThat(h.language()).isEqualTo("en");
        assertThat(h.schemaVersion()).isEqualTo("1.1");
        assertThat(h.expiresAt()).isEqualTo(Instant.parse("2026-11-29T02:14:36.123Z"));
    }

    @Test
    void keeps_the_values_the_submission_gives() {
        EnvelopeHeader h = accepted("enforcement.assistance-request.us-to-mx.json").toEnvelopeHeader(ID, NOW, MessageCatalogue.standard());

        assertThat(h.correlationId()).isEqualTo("HSI-LR-2026-0193");
        assertThat(h.priority()).isEqualTo(Priority.URGENT);
        assertThat(h.sensitivity()).isEqualTo(Sensitivity.LAW_ENFORCEMENT_SENSITIVE);
    }

    @Test
    void payload_bytes_are_the_exact_slice_of_the_sample() {
        byte[] document = SampleMessages.named("cargo.manifest.mx-to-us.json").orElseThrow().bytes();
        Submission s = accepted("cargo.manifest.mx-to-us.json");

        String text = new String(document, StandardCharsets.UTF_8);
        String payload = new String(s.payload(), StandardCharsets.UTF_8);
        assertThat(text).contains(payload);
        assertThat(payload).startsWith("{\n    \"tripNumber\"").endsWith("\n  }");
        assertThat(s.payloadLength()).isEqualTo(s.payload().length);
    }

    @Test
    void does_not_show_payload_content_in_its_text_form() {
        Submission s = accepted("cargo.manifest.mx-to-us.json");
        assertThat(s.toString()).contains("cargo.manifest").doesNotContain("Textiles");
    }

    @Test
    void refuses_to_build_a_header_for_a_type_the_catalogue_does_not_know() {
        Submission s = accepted("cargo.manifest.us-to-mx.json");
        SubmissionHeader h = s.header();
        Submission unknown = new Submission(new SubmissionHeader("cargo.other", h.schemaVersion(), h.sender(), h.receiver(),
                h.legalBasis(), h.purpose(), null, "en", null, null, null), s.payload());

        assertThatThrownBy(() -> unknown.toEnvelopeHeader(ID, NOW, MessageCatalogue.standard()))
                .isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE));
    }

    @Test
    void hands_out_its_payload_without_a_copy_per_access() {
        // a 64 MiB payload is read for the seal, the digest, the rules and the store: no copy each time
        Submission s = accepted("cargo.manifest.us-to-mx.json");
        assertThat(s.payload()).isSameAs(s.payload());
    }
}
