package org.puente.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.CanonicalJson;

/**
 * The demo's consent register: HSI gave ANAM information, ANAM asked to pass it to the prosecutor,
 * HSI granted it with conditions. ANAM then asks its gateway whether it may disclose the
 * information to the prosecutor (yes, under the conditions) and to another authority (no grant).
 */
final class DemoConsent {
    static final String INFORMATION = "enforcement.spontaneous-information.us-to-mx.json";
    static final String DECISION = "enforcement.disclosure-consent.us-to-mx.json";

    private final AgencyConnection anam;
    private final PrintWriter out;

    DemoConsent(Map<String, AgencyConnection> agencies, PrintWriter out) {
        this.anam = agencies.get("MX/ANAM");
        this.out = out;
    }

    /** The dependents with the grant valid for a year from today (the sample's date would lapse). */
    static List<Traffic.Item> withValidity(List<Traffic.Item> dependents) {
        return dependents.stream().map(i -> {
            if (!i.name().equals(DECISION)) {
                return i;
            }
            ObjectNode doc = (ObjectNode) Traffic.read(i.document());
            ((ObjectNode) doc.path("payload")).put("validUntil", LocalDate.now(ZoneOffset.UTC).plusYears(1).toString());
            return new Traffic.Item(i.name(), i.country(), i.agency(), CanonicalJson.bytes(doc), false);
        }).toList();
    }

    /** Asks both questions; true when the granted one is allowed and the other refused. */
    boolean show(Map<String, String> ids, Traffic.Item decision) {
        out.printf("%nconsent register (POST /api/v1/disclosures/check, MX/ANAM asks about what US/ICE-HSI gave it)%n");
        String info = ids.get(INFORMATION);
        if (info == null || decision == null) {
            out.println("  (the information or the decision was not accepted)");
            return false;
        }
        JsonNode p = Traffic.read(decision.document()).path("payload");
        String purpose = p.path("purpose").asText();
        boolean granted = ask(info, p.path("onwardRecipient").path("name").asText(), purpose, true);
        boolean refused = ask(info, "Servicio de Administración Tributaria", purpose, false);
        return granted && refused;
    }

    private boolean ask(String info, String recipient, String purpose, boolean expected) {
        ObjectNode q = CanonicalJson.mapper().createObjectNode().put("messageId", info).put("recipient", recipient)
                .put("purpose", purpose);
        AgencyConnection.Answer a = anam.post("/api/v1/disclosures/check", q.toString().getBytes(StandardCharsets.UTF_8));
        JsonNode v = a.json();
        boolean allowed = a.status() == 200 && v.path("allowed").asBoolean();
        out.printf("  may ANAM disclose %s to %s? %s (%s)%s%n", info, recipient, allowed ? "yes" : "no",
                v.path("reason").asText(a.text()), allowed ? ", conditions: " + v.path("decision").path("conditions") : "");
        return a.status() == 200 && allowed == expected;
    }
}
