package org.puente.model.validation.rules;

import static org.puente.model.validation.rules.FieldChecks.at;
import static org.puente.model.validation.rules.FieldChecks.each;

import com.fasterxml.jackson.databind.JsonNode;
import org.puente.model.AgencyRef;
import org.puente.model.error.ErrorCode;

/**
 * {@code enforcement.assistance-request}: an URGENT request names the deadline of its written
 * confirmation (CMAA: urgent requests must be confirmed in writing); the requesting and requested
 * administrations and the agreement agree with the header; persons' countries are real codes.
 */
final class AssistanceRequestRules implements PayloadRule {

    @Override
    public void check(RuleContext ctx) {
        JsonNode p = ctx.payload();
        if ("URGENT".equals(FieldChecks.text(p, "urgency")) && !p.has("confirmationDeadline")) {
            ctx.error(ErrorCode.CONFIRMATION_DEADLINE_REQUIRED, "/confirmationDeadline");
        }
        sameAgency(ctx, p, "requestingAdministration", ctx.sender());
        sameAgency(ctx, p, "requestedAdministration", ctx.receiver());
        String agreement = FieldChecks.text(p, "agreement");
        if (agreement != null && ctx.legalBasis() != null && !agreement.equals(ctx.legalBasis()) && !ctx.hasErrorAt("/agreement")) {
            ctx.error(ErrorCode.HEADER_PAYLOAD_MISMATCH, "/agreement", "agreement", agreement, ctx.legalBasis());
        }
        each(p, "persons", "", (person, ptr) -> {
            FieldChecks.country(ctx, person.get("address"), "country", at(ptr, "address"));
            FieldChecks.country(ctx, person, "nationality", ptr);
            FieldChecks.taxId(ctx, person, "taxId", ptr);
        });
    }

    static void sameAgency(RuleContext ctx, JsonNode p, String field, AgencyRef header) {
        JsonNode node = p.get(field);
        String country = FieldChecks.text(node, "country");
        String agency = FieldChecks.text(node, "agency");
        if (country == null || agency == null || header == null || ctx.hasErrorAt("/" + field)
                || ctx.hasErrorAt("/" + field + "/country") || ctx.hasErrorAt("/" + field + "/agency")) {
            return;
        }
        String named = country + "/" + agency;
        if (!named.equals(header.toString())) {
            ctx.error(ErrorCode.HEADER_PAYLOAD_MISMATCH, "/" + field, field, named, header.toString());
        }
    }
}
