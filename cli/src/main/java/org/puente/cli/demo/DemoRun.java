package org.puente.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.submission.SubmissionParser;

/**
 * The simulated agencies' part of the demo: submit everything, then pull, acknowledge and answer every
 * mailbox until each accepted message is delivered (or a minute passes), checking that each
 * payload arrives byte for byte as it was sent.
 */
final class DemoRun {
    private static final long TIMEOUT_NANOS = 90_000_000_000L;

    private final LocalExchange exchange;
    private final PrintWriter out;
    private final Map<String, AgencyConnection> agencies;
    /** The receiving agencies that have given their first answer. */
    private final java.util.Set<AgencyConnection> answeredBy = new java.util.HashSet<>();

    DemoRun(LocalExchange exchange, PrintWriter out) {
        this.exchange = exchange;
        this.out = out;
        this.agencies = DemoCommand.connections(exchange);
    }

    Summary run() {
        List<Traffic.Item> items = new ArrayList<>(DemoCases.withDeadlines(Traffic.samples()));
        items.addAll(Traffic.mistakes());
        List<Traffic.Item> dependents = DemoConsent.withValidity(DemoCases.dependents());
        out.printf("%nsimulated agencies submit %d messages (%d meant to be refused; those naming an earlier message"
                + " once it reached the peer)%n", items.size() + dependents.size(), Traffic.mistakes().size());
        long start = System.nanoTime();
        List<DemoCommand.Tracked> tracked = new ArrayList<>();
        Map<String, String> requestIds = new HashMap<>();
        Traffic.submitInOrder(items, dependents, (c, a) -> agencies.get(c + "/" + a), Duration.ofSeconds(60), s -> {
            DemoCommand.Tracked t = new DemoCommand.Tracked(s.item());
            tracked.add(t);
            t.submittedAtNanos = System.nanoTime();
            t.status = s.answer().status();
            JsonNode body = s.answer().json();
            if (t.status == 202) {
                t.messageId = body.get("messageId").asText();
                requestIds.put(t.item.name(), t.messageId);
                out.printf("  %-7s %-8s 202 %s  %s%n", t.item.country() + "/" + t.item.agency(), "->", t.messageId, t.item.name());
            } else {
                t.error = body;
                out.printf("  %-7s %-8s %d %s  %s%n", t.item.country() + "/" + t.item.agency(), "refused", t.status,
                        body.path("code").asText(), t.item.name());
            }
            out.flush();
        });
        Map<String, DemoCommand.Tracked> byId = new HashMap<>();
        tracked.stream().filter(t -> t.messageId != null).forEach(t -> byId.put(t.messageId, t));
        out.printf("%nreceiving agencies pull, acknowledge and answer their mailboxes (each agency's first message"
                + " ACCEPTED_WITH_WARNINGS, the rest ACCEPTED)%n");
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        int arrived = 0;
        while (arrived < byId.size() && System.nanoTime() < deadline) {
            int before = arrived;
            arrived += pullAll(byId);
            if (arrived > before) {
                out.printf("  %d of %d messages in their mailboxes%n", arrived, byId.size());
                out.flush();
            } else {
                pause();
            }
        }
        out.printf("%nsending agencies check the status of their messages%n");
        int done = 0;
        while (done < arrived && System.nanoTime() < deadline) {
            done = 0;
            for (DemoCommand.Tracked t : byId.values()) {
                if (!t.delivered || t.answerSeen == null) {
                    JsonNode s = agencies.get(t.item.country() + "/" + t.item.agency()).status(t.messageId).json();
                    t.delivered = "DELIVERED".equals(s.path("state").asText());
                    for (JsonNode step : s.path("history")) {
                        t.receipted |= "RECEIPTED".equals(step.path("status").asText());
                    }
                    t.answerSeen = s.path("answer").isObject() ? s.path("answer") : null;
                }
                done += t.delivered && t.answerSeen != null ? 1 : 0;
            }
            if (done < arrived) {
                pause();
            }
        }
        out.printf("  %d of %d reported DELIVERED and ANSWERED by the receiving gateway%n", done, byId.size());
        boolean cases = new DemoCases(agencies, out).show(requestIds, deadline);
        Traffic.Item decision = tracked.stream().filter(t -> t.messageId != null && t.item.name().equals(DemoConsent.DECISION))
                .map(t -> t.item).findFirst().orElse(null);
        boolean consent = new DemoConsent(agencies, out).show(requestIds, decision);
        return new Summary(tracked, cases && consent, System.nanoTime() - start);
    }

    private int pullAll(Map<String, DemoCommand.Tracked> byId) {
        int count = 0;
        for (Map.Entry<String, AgencyConnection> e : agencies.entrySet()) {
            JsonNode page = e.getValue().inbox(0, 500).json();
            for (JsonNode m : page.path("messages")) {
                String id = m.get("messageId").asText();
                DemoCommand.Tracked t = byId.get(id);
                byte[] payload = e.getValue().payload(id).body();
                if (t != null && t.timesListed++ == 0) {
                    byte[] sent = SubmissionParser.payloadBytes(t.item.document(), SubmissionParser.parse(t.item.document()));
                    t.payloadIdentical = Arrays.equals(sent, payload);
                    t.arrivedAtNanos = System.nanoTime();
                    count++;
                    out.printf("  %-7s got %s from %s (%d bytes, %s)%n", e.getKey(), m.path("header").path("messageType").asText(),
                            m.path("header").path("sender").path("country").asText() + "/"
                                    + m.path("header").path("sender").path("agency").asText(),
                            payload.length, t.payloadIdentical ? "byte-identical" : "DIFFERENT");
                }
                e.getValue().acknowledge(id);
                if (t != null && t.answerGiven == null) {
                    answer(e.getValue(), t, id);
                }
            }
        }
        return count;
    }

    /** The simulated agency's business answer: its first message with a warning, the others accepted. */
    private void answer(AgencyConnection agency, DemoCommand.Tracked t, String id) {
        boolean first = answeredBy.add(agency);
        String status = first ? "ACCEPTED_WITH_WARNINGS" : "ACCEPTED";
        String body = first ? "{\"status\":\"ACCEPTED_WITH_WARNINGS\",\"reasons\":[{\"code\":\"demo_warning\","
                + "\"text\":\"Simulated agency: accepted, with a warning to show a business answer travelling back.\"}]}"
                : "{\"status\":\"ACCEPTED\"}";
        if (agency.post("/api/v1/inbox/" + id + "/answer", body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .status() == 200) {
            t.answerGiven = status;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the run shows. */
    record Summary(List<DemoCommand.Tracked> tracked, boolean cooperation, long nanos) {
        boolean ok() {
            return cooperation && tracked.stream().allMatch(t -> t.item.meantToFail() ? t.messageId == null
                    : t.messageId != null && t.receipted && t.timesListed == 1 && t.delivered && t.payloadIdentical
                    && t.answerSeen != null && t.answerSeen.path("status").asText().equals(t.answerGiven));
        }

        void print(PrintWriter out) {
            long accepted = tracked.stream().filter(t -> t.messageId != null).count();
            long receipted = tracked.stream().filter(t -> t.receipted).count();
            long once = tracked.stream().filter(t -> t.timesListed == 1).count();
            long delivered = tracked.stream().filter(t -> t.delivered).count();
            long identical = tracked.stream().filter(t -> t.payloadIdentical).count();
            List<Long> latencies = tracked.stream().filter(t -> t.arrivedAtNanos > 0)
                    .map(t -> (t.arrivedAtNanos - t.submittedAtNanos) / 1_000_000).sorted().toList();
            out.printf("%nsummary (%.1f s)%n", nanos / 1e9);
            out.printf("  submitted %d: accepted %d, refused %d%n", tracked.size(), accepted, tracked.size() - accepted);
            out.printf("  receipted by the peer gateway (in the sender's status history): %d of %d%n", receipted, accepted);
            out.printf("  in the receiving mailbox exactly once: %d of %d%n", once, accepted);
            out.printf("  delivered (acknowledged by the receiving agency, confirmed to the sender): %d%n", delivered);
            out.printf("  payloads byte-identical on arrival: %d of %d%n", identical, latencies.size());
            long answered = tracked.stream().filter(t -> t.answerSeen != null).count();
            out.printf("  answered (business status back with the sender, signed by the receiving gateway): %d of %d%n",
                    answered, accepted);
            for (DemoCommand.Tracked t : tracked) {
                if (t.answerSeen != null && !"ACCEPTED".equals(t.answerSeen.path("status").asText())) {
                    out.printf("    %s/%s %s: %s by %s: %s%n", t.item.country(), t.item.agency(), t.item.name(),
                            t.answerSeen.path("status").asText(), t.answerSeen.path("agency").asText(),
                            t.answerSeen.path("reasons").path(0).path("code").asText());
                }
            }
            if (!latencies.isEmpty()) {
                out.printf("  submission to mailbox (as the simulated agencies saw it): median %d ms, max %d ms%n",
                        latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1));
            }
            out.println("  refused, with reasons:");
            for (DemoCommand.Tracked t : tracked) {
                if (t.error != null) {
                    out.printf("    %s/%s %s: HTTP %d %s%n", t.item.country(), t.item.agency(), t.item.name(), t.status,
                            t.error.path("code").asText());
                    for (JsonNode p : t.error.path("problems")) {
                        out.printf("      %s %s %s%n", p.path("code").asText(), p.path("pointer").asText(), p.path("message").asText());
                    }
                }
            }
            out.printf("  assistance cases (one answered within its deadline, one overdue, alike on both gateways) and"
                    + " consent register (granted recipient allowed, another refused): %s%n", cooperation ? "yes" : "NO");
            out.println(ok() ? "result: every valid message arrived once, intact, and was confirmed delivered and answered"
                    : "result: NOT everything arrived as expected: see the lines above and the gateway logs");
            out.flush();
        }
    }
}
