package org.puente.model.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Sensitivity;
import org.puente.model.error.ErrorCode;

/**
 * Produces the {@link HeaderView} the catalogue checks need: from a submission document (fields
 * already in error are left out) or from a received envelope header (whose fields are checked
 * here the way the submission schema checks a submission's).
 */
final class HeaderReader {
    static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private HeaderReader() {
    }

    static HeaderView fromSubmission(JsonNode root, ProblemCollector problems) {
        return new HeaderView(
                text(root, "messageType", problems),
                text(root, "schemaVersion", problems),
                agency(root, "sender", problems),
                agency(root, "receiver", problems),
                text(root, "legalBasis", problems),
                text(root, "purpose", problems),
                sensitivity(text(root, "sensitivity", problems)),
                duration(text(root, "timeToLive", problems)));
    }

    static HeaderView fromEnvelope(EnvelopeHeader h, ProblemCollector problems) {
        require(h.messageId(), "messageId", problems);
        require(h.correlationId(), "correlationId", problems);
        require(h.messageType(), "messageType", problems);
        require(h.schemaVersion(), "schemaVersion", problems);
        require(h.sender(), "sender", problems);
        require(h.receiver(), "receiver", problems);
        require(h.legalBasis(), "legalBasis", problems);
        require(h.purpose(), "purpose", problems);
        require(h.sensitivity(), "sensitivity", problems);
        require(h.language(), "language", problems);
        require(h.createdAt(), "createdAt", problems);
        require(h.timeToLive(), "timeToLive", problems);
        require(h.priority(), "priority", problems);
        if (h.correlationId() != null && !CORRELATION_ID.matcher(h.correlationId()).matches()) {
            problems.error(ErrorCode.PATTERN_MISMATCH, "/correlationId", CORRELATION_ID.pattern());
        }
        if (h.language() != null && !"en".equals(h.language()) && !"es".equals(h.language())) {
            problems.error(ErrorCode.VALUE_NOT_ALLOWED, "/language", "en, es");
        }
        return new HeaderView(h.messageType(), h.schemaVersion(), h.sender(), h.receiver(), h.legalBasis(), h.purpose(),
                h.sensitivity(), h.timeToLive());
    }

    private static void require(Object value, String field, ProblemCollector problems) {
        if (value == null) {
            problems.error(ErrorCode.REQUIRED_FIELD_MISSING, "/" + field, field);
        }
    }

    private static String text(JsonNode root, String field, ProblemCollector problems) {
        JsonNode node = root.get(field);
        return node != null && node.isTextual() && !problems.hasErrorAt("/" + field) ? node.asText() : null;
    }

    private static AgencyRef agency(JsonNode root, String field, ProblemCollector problems) {
        JsonNode node = root.get(field);
        if (node == null || !node.isObject() || problems.hasErrorWithin("/" + field)) {
            return null;
        }
        return new AgencyRef(Country.valueOf(node.path("country").asText()), node.path("agency").asText());
    }

    private static Sensitivity sensitivity(String text) {
        return text == null ? null : Sensitivity.valueOf(text);
    }

    private static Duration duration(String text) {
        try {
            return text == null ? null : Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null; // the submission schema's pattern reports it
        }
    }
}
