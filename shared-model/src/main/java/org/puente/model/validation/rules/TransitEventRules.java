package org.puente.model.validation.rules;

import static org.puente.model.validation.rules.FieldChecks.each;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code cargo.transit-event}: office codes of their country's form, containers, and times in
 * order (departure before the deadline and before the event).
 */
final class TransitEventRules implements PayloadRule {

    @Override
    public void check(RuleContext ctx) {
        JsonNode p = ctx.payload();
        for (String office : new String[] {"officeOfDeparture", "officeOfDestination", "eventOffice", "divertedTo"}) {
            FieldChecks.port(ctx, p.get(office), "/" + office);
        }
        each(p, "equipment", "", (e, ptr) -> FieldChecks.container(ctx, e, "containerNumber", ptr));
        FieldChecks.window(ctx, p, "departureTime", "deadline", "");
        FieldChecks.window(ctx, p, "departureTime", "eventTime", "");
        String event = FieldChecks.text(p, "event");
        if (event != null && !"DIVERTED".equals(event)) {
            FieldChecks.notAllowed(ctx, p, "", "event = " + event, "divertedTo");
        }
    }
}
