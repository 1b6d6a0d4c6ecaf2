package org.puente.model.validation.rules;

import static org.puente.model.validation.rules.FieldChecks.at;
import static org.puente.model.validation.rules.FieldChecks.each;

import com.fasterxml.jackson.databind.JsonNode;
import org.puente.model.error.ErrorCode;

/**
 * {@code cargo.manifest}: carrier, container and party identifiers, HS codes and places, positive
 * quantities, and a port of entry in the receiving country (advance information is sent to the
 * administration whose border the cargo is about to cross).
 */
final class CargoManifestRules implements PayloadRule {

    @Override
    public void check(RuleContext ctx) {
        JsonNode p = ctx.payload();
        JsonNode carrier = p.get("carrier");
        if (carrier != null && carrier.isObject()) {
            FieldChecks.scac(ctx, carrier, "scac", "/carrier");
            if (!carrier.has("scac") && !carrier.has("caat")) {
                ctx.error(ErrorCode.REQUIRED_FIELD_MISSING, "/carrier/scac", "scac | caat");
            }
        }
        FieldChecks.country(ctx, p.get("conveyance"), "registrationCountry", "/conveyance");
        each(p, "equipment", "", (e, ptr) -> FieldChecks.container(ctx, e, "containerNumber", ptr));
        each(p, "routingCountries", "", (c, ptr) -> FieldChecks.countryElement(ctx, c, ptr));
        each(p, "shipments", "", (s, ptr) -> shipment(ctx, s, ptr));
        JsonNode port = p.get("portOfEntry");
        FieldChecks.portIn(ctx, port, "/portOfEntry", ctx.receiver() == null ? null : ctx.receiver().country(),
                ErrorCode.PORT_OF_ENTRY_WRONG_COUNTRY);
    }

    private static void shipment(RuleContext ctx, JsonNode s, String ptr) {
        for (String party : new String[] {"consignor", "consignee", "notifyParty"}) {
            JsonNode node = s.get(party);
            FieldChecks.taxId(ctx, node, "taxId", at(ptr, party));
            FieldChecks.country(ctx, node == null ? null : node.get("address"), "country", at(at(ptr, party), "address"));
        }
        FieldChecks.unLocode(ctx, s, "placeOfLoading", ptr);
        FieldChecks.unLocode(ctx, s, "placeOfDischarge", ptr);
        each(s, "goods", ptr, (g, gptr) -> {
            FieldChecks.hsCode(ctx, g, "hsCode", gptr);
            FieldChecks.positive(ctx, g, "packages", gptr);
            FieldChecks.positive(ctx, g, "grossWeightKg", gptr);
            FieldChecks.country(ctx, g, "originCountry", gptr);
        });
    }
}
