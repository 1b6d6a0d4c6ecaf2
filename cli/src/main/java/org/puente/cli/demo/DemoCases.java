package org.puente.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.CanonicalJson;

/**
 * The demo's two mutual-assistance cases: ANAM asks CBP (answered within its deadline), HSI asks
 * ANAM urgently with a confirmation deadline a few seconds away that nobody meets (overdue). Both
 * gateways must show each case the same way.
 */
final class DemoCases {
    static final String ANSWERED_REQUEST = "enforcement.assistance-request.mx-to-us.json";
    static final String OVERDUE_REQUEST = "enforcement.assistance-request.us-to-mx.json";
    /** How soon the urgent request's confirmation falls due. */
    static final Duration CONFIRM_IN = Duration.ofSeconds(5);

    private final Map<String, AgencyConnection> agencies;
    private final PrintWriter out;

    DemoCases(Map<String, AgencyConnection> agencies, PrintWriter out) {
        this.agencies = agencies;
        this.out = out;
    }

    /** The samples with the requests' deadlines set from today: one to be met, one to pass. */
    static List<Traffic.Item> withDeadlines(List<Traffic.Item> items) {
        List<Traffic.Item> out = new ArrayList<>();
        for (Traffic.Item i : items) {
            if (i.name().equals(ANSWERED_REQUEST) || i.name().equals(OVERDUE_REQUEST)) {
                ObjectNode doc = (ObjectNode) Traffic.read(i.document());
                ObjectNode p = (ObjectNode) doc.path("payload");
                p.put("responseRequestedBy", LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
                if (i.name().equals(OVERDUE_REQUEST)) {
                    p.put("confirmationDeadline", Instant.now().plus(CONFIRM_IN).truncatedTo(ChronoUnit.SECONDS).toString());
                }
                out.add(new Traffic.Item(i.name(), i.country(), i.agency(), CanonicalJson.bytes(doc), false));
            } else {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * The samples naming an earlier message that the demo sends: all but the answer to HSI's
     * request, which stays unanswered (CBP answers ANAM's request; the consent pair is sent).
     */
    static List<Traffic.Item> dependents() {
        return Traffic.dependents().stream()
                .filter(d -> !d.dependency().orElseThrow().sample().equals(OVERDUE_REQUEST)).toList();
    }

    /**
     * Shows both cases as each side's agencies see them; true when the answered one is closed on time
     * and the other overdue, on both gateways.
     */
    boolean show(Map<String, String> requestIds, long deadlineNanos) {
        out.printf("%nassistance cases (GET /api/v1/cases/{id}, each side's agency)%n");
        boolean answered = show(requestIds.get(ANSWERED_REQUEST), List.of("MX/ANAM", "US/CBP"), deadlineNanos,
                c -> "CLOSED".equals(c.path("assistanceCase").path("state").asText()) && last(c).endsWith("on time"));
        boolean overdue = show(requestIds.get(OVERDUE_REQUEST), List.of("US/ICE-HSI", "MX/ANAM"), deadlineNanos,
                c -> c.path("assistanceCase").path("overdue").asBoolean());
        return answered && overdue;
    }

    private boolean show(String caseId, List<String> sides, long deadlineNanos,
                         java.util.function.Predicate<JsonNode> expected) {
        if (caseId == null) {
            out.println("  (a request was not accepted: no case)");
            return false;
        }
        boolean ok = true;
        for (String side : sides) {
            JsonNode c = agencies.get(side).get("/api/v1/cases/" + caseId).json();
            while (!expected.test(c) && System.nanoTime() < deadlineNanos) {
                pause();
                c = agencies.get(side).get("/api/v1/cases/" + caseId).json();
            }
            JsonNode k = c.path("assistanceCase");
            out.printf("  %-10s case %s %s (%s, %s asked): %s%s, history: %s%n", side, k.path("reference").asText(),
                    caseId, k.path("urgency").asText(),
                    "REQUESTING".equals(k.path("role").asText()) ? k.path("agency").asText() : k.path("peerAgency").asText(),
                    k.path("state").asText(), k.path("overdue").asBoolean() ? ", OVERDUE (deadline " + k.path("dueAt").asText()
                            + " passed unmet)" : "", history(c));
            ok &= expected.test(c);
        }
        return ok;
    }

    private static String last(JsonNode c) {
        JsonNode h = c.path("history");
        return h.size() == 0 ? "" : h.get(h.size() - 1).path("detail").asText();
    }

    private static String history(JsonNode c) {
        List<String> steps = new ArrayList<>();
        c.path("history").forEach(e -> steps.add(e.path("event").asText()
                + (e.path("event").asText().equals("ANSWERED") ? " " + e.path("detail").asText() : "")));
        return String.join(" > ", steps);
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
