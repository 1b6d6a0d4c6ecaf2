package org.puente.engine.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.puente.model.AgencyRef;
import org.puente.model.Country;

/**
 * What the cases read from the payloads of {@code enforcement.assistance-request} and
 * {@code enforcement.assistance-response} (already validated against their schemas). A date
 * without a time ({@code responseRequestedBy}, {@code deferredUntil}) ends at midnight UTC after it.
 */
final class CaseFacts {
    static final String REQUEST = "enforcement.assistance-request";
    static final String RESPONSE = "enforcement.assistance-response";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaseFacts() {
    }

    /** A request: what opens a case. */
    record Request(String reference, AgencyRef requesting, AgencyRef requested, String agreement, String urgency,
                   Instant confirmBy, Instant respondBy) {
    }

    /** A response: what answers, defers or closes one. */
    record Response(UUID caseId, String reference, AgencyRef responding, AgencyRef requesting, String outcome,
                    Instant deferredUntil) {
        boolean defers() {
            return "DEFERRED".equals(outcome);
        }
    }

    static Request request(byte[] payload) {
        JsonNode p = read(payload);
        return new Request(p.path("requestReference").asText(), agency(p.path("requestingAdministration")),
                agency(p.path("requestedAdministration")), p.path("agreement").asText(null),
                p.path("urgency").asText("NORMAL"),
                text(p, "confirmationDeadline").map(CaseFacts::instant).orElse(null),
                text(p, "responseRequestedBy").map(CaseFacts::endOfDay).orElse(null));
    }

    /** A response, or empty when it names no request by a readable id. */
    static Optional<Response> response(byte[] payload) {
        JsonNode p = read(payload);
        UUID id;
        try {
            id = UUID.fromString(p.path("requestMessageId").asText(""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new Response(id, p.path("requestReference").asText(), agency(p.path("respondingAdministration")),
                agency(p.path("requestingAdministration")), p.path("outcome").asText(),
                text(p, "deferredUntil").map(CaseFacts::endOfDay).orElse(null)));
    }

    /**
     * A date-time of the payload, to the millisecond (deadline jobs name their deadline in
     * milliseconds). A leap second, which the schema's format allows, counts as the second before it.
     */
    static Instant instant(String dateTime) {
        String t = dateTime.length() > 19 && dateTime.startsWith(":60", 16) ? dateTime.substring(0, 17) + "59"
                + dateTime.substring(19) : dateTime;
        return OffsetDateTime.parse(t).toInstant().truncatedTo(ChronoUnit.MILLIS);
    }

    static Instant endOfDay(String date) {
        return LocalDate.parse(date).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Optional<String> text(JsonNode p, String field) {
        JsonNode n = p.get(field);
        return n == null || !n.isTextual() ? Optional.empty() : Optional.of(n.asText());
    }

    private static AgencyRef agency(JsonNode n) {
        if (!n.isObject()) {
            return null;
        }
        return new AgencyRef(Country.valueOf(n.path("country").asText()), n.path("agency").asText());
    }

    private static JsonNode read(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
