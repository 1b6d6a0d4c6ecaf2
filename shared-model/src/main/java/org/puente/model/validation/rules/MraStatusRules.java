package org.puente.model.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;

/**
 * {@code partnership.mra-status}: company data flows only with the company's consent; C-TPAT
 * status comes from the US side and OEA status from the Mexican side; the trader is identified.
 */
final class MraStatusRules implements PayloadRule {

    @Override
    public void check(RuleContext ctx) {
        JsonNode p = ctx.payload();
        JsonNode consent = p.get("consent");
        if (consent != null && consent.isBoolean() && !consent.booleanValue()) {
            ctx.error(ErrorCode.CONSENT_REQUIRED, "/consent");
        }
        String programme = FieldChecks.text(p, "programme");
        Country administeredBy = "C_TPAT".equals(programme) ? Country.US : "OEA".equals(programme) ? Country.MX : null;
        if (administeredBy != null && ctx.sender() != null && ctx.sender().country() != administeredBy) {
            ctx.error(ErrorCode.PROGRAMME_NOT_OF_SENDER, "/programme", programme, ctx.sender().country().name());
        }
        JsonNode trader = p.get("trader");
        if (trader != null && trader.isObject()) {
            FieldChecks.rfc(ctx, trader, "rfc", "/trader");
            FieldChecks.ein(ctx, trader, "ein", "/trader");
            if (!trader.has("rfc") && !trader.has("ein") && !trader.has("mid") && !ctx.hasErrorAt("/trader/rfc")) {
                ctx.error(ErrorCode.REQUIRED_FIELD_MISSING, "/trader/rfc", "rfc | ein | mid");
            }
            FieldChecks.country(ctx, trader, "country", "/trader");
        }
        FieldChecks.window(ctx, p, "effectiveDate", "validUntil", "");
    }
}
