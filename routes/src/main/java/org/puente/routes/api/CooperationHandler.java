package org.puente.routes.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.puente.engine.api.Json;
import org.puente.engine.cases.AssistanceCases;
import org.puente.engine.consent.ConsentRegister;
import org.puente.engine.withdrawal.Withdrawals;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The agency operations on what messages mean beyond their transport: assistance cases
 * (docs/api.md, "Assistance cases"), the consent register ("Consent to disclose"), cancelling and
 * replacing a message sent ("Cancelling or replacing a message").
 */
public final class CooperationHandler {
    private final AssistanceCases cases;
    private final ConsentRegister consents;
    private final Withdrawals withdrawals;

    public CooperationHandler(AssistanceCases cases, ConsentRegister consents, Withdrawals withdrawals) {
        this.cases = cases;
        this.consents = consents;
        this.withdrawals = withdrawals;
    }

    /** The sending agency cancels a message it sent: {@code {"reason": "..."}}. */
    public Response cancel(ApiRequest r) {
        JsonNode body = object(r.body(), "{\"reason\": \"...\"}");
        return json(Withdrawn.of(withdrawals.withdraw(r.caller(), AgencyHandler.messageId(r), text(body, "reason"),
                Optional.empty())));
    }

    /** The sending agency replaces a message it sent by another it sent: {@code {"reason": "...", "replacement": "id"}}. */
    public Response replace(ApiRequest r) {
        JsonNode body = object(r.body(), "{\"reason\": \"...\", \"replacement\": \"message id\"}");
        UUID replacement;
        try {
            replacement = UUID.fromString(text(body, "replacement"));
        } catch (IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.INVALID_WITHDRAWAL, "replacement must be a message id");
        }
        return json(Withdrawn.of(withdrawals.withdraw(r.caller(), AgencyHandler.messageId(r), text(body, "reason"),
                Optional.of(replacement))));
    }

    /** A withdrawal as the API shows it. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Withdrawn(String messageId, String kind, String reason, String replacement, String at) {
        static Withdrawn of(Withdrawals.Withdrawn w) {
            return new Withdrawn(w.messageId().toString(), w.kind(), w.withdrawal().reason(),
                    w.withdrawal().replacement() == null ? null : w.withdrawal().replacement().toString(), w.at().toString());
        }
    }

    private static JsonNode object(byte[] body, String form) {
        try {
            JsonNode n = CanonicalJson.mapper().readTree(body);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (IOException e) {
            // answered below
        }
        throw new PuenteException(ErrorCode.INVALID_WITHDRAWAL, "not a withdrawal document: " + form);
    }

    private static String text(JsonNode body, String field) {
        if (!body.path(field).isTextual()) {
            throw new PuenteException(ErrorCode.INVALID_WITHDRAWAL, field + " is required");
        }
        return body.get(field).asText();
    }

    /** The caller agency's assistance cases, newest first: those not closed ({@code state=open}, the default) or all. */
    public Response cases(ApiRequest r) {
        String state = r.param("state").orElse("open");
        if (!state.equals("open") && !state.equals("all")) {
            throw new PuenteException(ErrorCode.VALUE_NOT_ALLOWED, "state: open, all");
        }
        int limit = (int) Math.min(CaseBodies.MAX_PAGE, r.param("limit").map(v -> AgencyBodies.number("limit", v))
                .orElse(50L));
        return json(CaseBodies.CaseList.of(cases.cases(CaseBodies.agencyOf(r.caller()), state.equals("open"), limit)));
    }

    /** One of the caller agency's assistance cases with its history. */
    public Response assistanceCase(ApiRequest r) {
        UUID id = AgencyHandler.messageId(r);
        AssistanceCases.CaseHistory h = cases.history(CaseBodies.agencyOf(r.caller()), id)
                .orElseThrow(() -> new PuenteException(ErrorCode.NOT_FOUND, "case", id));
        return json(CaseBodies.CaseWithHistory.of(h));
    }

    /** May the caller agency pass a message it received to this recipient for this purpose? The register answers. */
    public Response checkDisclosure(ApiRequest r) {
        ConsentRegister.Question q = question(r.body());
        ConsentRegister.Verdict v = consents.check(CaseBodies.agencyOf(r.caller()), r.caller().subject(), q);
        return json(ConsentBodies.Answer.of(q, v));
    }

    /** The register's entries about a message the caller agency received or sent. */
    public Response consents(ApiRequest r) {
        UUID id = AgencyHandler.messageId(r);
        return json(ConsentBodies.Entries.of(id, consents.about(CaseBodies.agencyOf(r.caller()), id)));
    }

    private static ConsentRegister.Question question(byte[] body) {
        JsonNode q;
        try {
            q = CanonicalJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, "a question {\"messageId\", \"recipient\", \"purpose\"}");
        }
        if (q == null || !q.isObject()) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, "a question {\"messageId\", \"recipient\", \"purpose\"}");
        }
        for (String field : new String[] {"messageId", "recipient", "purpose"}) {
            if (!q.path(field).isTextual() || q.path(field).asText().isBlank()) {
                throw new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, field);
            }
        }
        UUID id;
        try {
            id = UUID.fromString(q.get("messageId").asText());
        } catch (IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.INVALID_FORMAT, "message id (UUID)");
        }
        return new ConsentRegister.Question(id, q.get("recipient").asText(), q.get("purpose").asText());
    }

    private static Response json(Object body) {
        return Response.ok(Json.write(body), AgencyHandler.JSON).build();
    }
}
