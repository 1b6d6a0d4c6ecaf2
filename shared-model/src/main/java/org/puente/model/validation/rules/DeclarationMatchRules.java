package org.puente.model.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code cargo.declaration-match}: a REQUEST carries the declaration's key data; an ANSWER carries
 * only the reference and MATCH / NO_MATCH / NOT_FOUND, never the other side's data (the agreement
 * answers a partner's question without handing over raw company data).
 */
final class DeclarationMatchRules implements PayloadRule {
    static final String[] REQUEST_ONLY = {"hsCode", "declaredValue", "quantity", "declarationDate", "portOfEntry", "counterpartReference"};

    @Override
    public void check(RuleContext ctx) {
        JsonNode p = ctx.payload();
        FieldChecks.reference(ctx, p.get("reference"), "/reference");
        String kind = FieldChecks.text(p, "kind");
        if ("ANSWER".equals(kind)) {
            FieldChecks.notAllowed(ctx, p, "", "kind = ANSWER", REQUEST_ONLY);
            return;
        }
        if ("REQUEST".equals(kind)) {
            FieldChecks.notAllowed(ctx, p, "", "kind = REQUEST", "result");
        }
        FieldChecks.reference(ctx, p.get("counterpartReference"), "/counterpartReference");
        FieldChecks.hsCode(ctx, p, "hsCode", "");
        JsonNode value = p.get("declaredValue");
        FieldChecks.positive(ctx, value, "amount", "/declaredValue");
        FieldChecks.currency(ctx, value, "currency", "/declaredValue");
        FieldChecks.positive(ctx, p.get("quantity"), "value", "/quantity");
        FieldChecks.port(ctx, p.get("portOfEntry"), "/portOfEntry");
    }
}
