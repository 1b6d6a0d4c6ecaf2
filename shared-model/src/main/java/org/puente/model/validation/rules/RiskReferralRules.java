package org.puente.model.validation.rules;

import static org.puente.model.validation.rules.FieldChecks.each;

import com.fasterxml.jackson.databind.JsonNode;
import org.puente.model.error.ErrorCode;

/**
 * {@code targeting.risk-referral}: the referenced containers and pedimentos are well formed, the
 * port asked to act is in the receiving country, and the validity window is not inverted.
 */
final class RiskReferralRules implements PayloadRule {

    @Override
    public void check(RuleContext ctx) {
        JsonNode p = ctx.payload();
        each(p, "references", "", (r, ptr) -> FieldChecks.reference(ctx, r, ptr));
        FieldChecks.portIn(ctx, p.get("port"), "/port", ctx.receiver() == null ? null : ctx.receiver().country(),
                ErrorCode.PORT_OF_ENTRY_WRONG_COUNTRY);
        FieldChecks.window(ctx, p, "validFrom", "validUntil", "");
    }
}
