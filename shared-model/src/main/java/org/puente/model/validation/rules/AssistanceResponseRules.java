package org.puente.model.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code enforcement.assistance-response}: the responding and requesting administrations agree with
 * the header (the response travels back along the request's route), a deferral date only comes
 * with a DEFERRED outcome, and the documents' digests are unique.
 */
final class AssistanceResponseRules implements PayloadRule {

    @Override
    public void check(RuleContext ctx) {
        JsonNode p = ctx.payload();
        AssistanceRequestRules.sameAgency(ctx, p, "respondingAdministration", ctx.sender());
        AssistanceRequestRules.sameAgency(ctx, p, "requestingAdministration", ctx.receiver());
        String outcome = FieldChecks.text(p, "outcome");
        if (outcome != null && !"DEFERRED".equals(outcome)) {
            FieldChecks.notAllowed(ctx, p, "", "outcome = " + outcome, "deferredUntil");
        }
    }
}
