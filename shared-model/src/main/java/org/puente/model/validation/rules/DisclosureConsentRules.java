package org.puente.model.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code enforcement.disclosure-consent}: a REQUEST asks, so it carries no decision; a DECISION
 * carries conditions only when consent is granted with conditions.
 */
final class DisclosureConsentRules implements PayloadRule {

    @Override
    public void check(RuleContext ctx) {
        JsonNode p = ctx.payload();
        String kind = FieldChecks.text(p, "kind");
        if ("REQUEST".equals(kind)) {
            FieldChecks.notAllowed(ctx, p, "", "kind = REQUEST", "decision", "conditions", "decisionReason");
        }
        String decision = FieldChecks.text(p, "decision");
        if (decision != null && !"GRANTED_WITH_CONDITIONS".equals(decision)) {
            FieldChecks.notAllowed(ctx, p, "", "decision = " + decision, "conditions");
        }
        FieldChecks.country(ctx, p.get("onwardRecipient"), "country", "/onwardRecipient");
    }
}
