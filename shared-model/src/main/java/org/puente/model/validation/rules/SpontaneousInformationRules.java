package org.puente.model.validation.rules;

import static org.puente.model.validation.rules.FieldChecks.at;
import static org.puente.model.validation.rules.FieldChecks.each;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code enforcement.spontaneous-information}: identifiers of the entities, conveyances,
 * containers and movements concerned are well formed, and the period is not inverted.
 */
final class SpontaneousInformationRules implements PayloadRule {

    @Override
    public void check(RuleContext ctx) {
        JsonNode p = ctx.payload();
        each(p, "entities", "", (e, ptr) -> {
            FieldChecks.taxId(ctx, e, "taxId", ptr);
            FieldChecks.country(ctx, e.get("address"), "country", at(ptr, "address"));
            FieldChecks.country(ctx, e, "nationality", ptr);
        });
        each(p, "conveyances", "", (c, ptr) -> FieldChecks.country(ctx, c, "registrationCountry", ptr));
        each(p, "references", "", (r, ptr) -> FieldChecks.reference(ctx, r, ptr));
        each(p, "hsCodes", "", (h, ptr) -> FieldChecks.hsCodeElement(ctx, h, ptr));
        FieldChecks.window(ctx, p.get("period"), "from", "to", "/period");
    }
}
