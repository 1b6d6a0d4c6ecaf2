package org.puente.routes.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.engine.work.Lane;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkLine;
import org.puente.engine.work.WorkRunner;
import org.puente.model.Country;
import org.puente.model.CanonicalJson;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.Poll;

/**
 * Priority lanes through both gateways, attacked where strict priority order breaks: every batch
 * of one lane stuck on its way to the peer (a slow link, a large BULK batch) while the other
 * lanes keep submitting. The US gateway's delivery steps are held for the batches that carry a
 * chosen lane; URGENT must still reach Mexico while NORMAL or BULK batches fill every slot they
 * may take, BULK must still reach Mexico while NORMAL batches fill the shared line, and a stuck
 * BULK flood must hold neither URGENT nor NORMAL. Under the earlier single claim loop (one cycle
 * per kind, every lane in one ORDER BY) all stay stuck.
 */
class PriorityLanesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void urgent_passes_stuck_normal_and_bulk_batches_and_bulk_passes_a_stuck_shared_line() throws Exception {
        SamplePki pki = SamplePki.generate();
        pki.writeTo(dir.resolve("pki"), SamplePki.samplePassword());
        GatewayHarness.Ports usPorts = GatewayHarness.Ports.free();
        GatewayHarness.Ports mxPorts = GatewayHarness.Ports.free();
        Hold hold = new Hold();
        try (GatewayHarness us = GatewayHarness.start(Country.US, dir.resolve("pki"), dir.resolve("us"), usPorts, mxPorts,
                Map.of(), hold::weave);
             GatewayHarness mx = GatewayHarness.start(Country.MX, dir.resolve("pki"), dir.resolve("mx"), mxPorts, usPorts,
                     Map.of())) {
            AgencyClient cbp = AgencyClient.sample(dir.resolve("pki"), Country.US, "agency-cbp", usPorts.agency());
            WorkLine shared = WorkLine.shared(WorkKind.PEER_ENVELOPE, Lane.NORMAL);
            WorkLine bulkLine = WorkLine.reserved(WorkKind.PEER_ENVELOPE, Lane.BULK);
            WorkLine urgentLine = WorkLine.reserved(WorkKind.PEER_ENVELOPE, Lane.URGENT);

            // NORMAL fills the shared line, and every batch it sent is stuck
            hold.lanes(EnumSet.of(Lane.NORMAL));
            List<String> normal = submit(cbp, "NORMAL", 200);
            hold.awaitStuck(shared);
            List<String> bulk = submit(cbp, "BULK", 40);
            awaitAllAt(mx, bulk);
            List<String> urgent = submit(cbp, "URGENT", 3);
            awaitAllAt(mx, urgent);
            assertThat(countAt(mx, normal)).as("every NORMAL batch is still held on the shared line").isZero();
            assertThat(hold.linesThatCarried(Lane.BULK)).as("BULK went on its reserved line").containsExactly(bulkLine);
            assertThat(hold.linesThatCarried(Lane.URGENT)).as("URGENT went on its reserved line").containsExactly(urgentLine);
            hold.release();
            awaitAllAt(mx, normal);

            // a BULK flood stays on its own line, stuck there; the shared line, idle, still leaves it alone
            hold.lanes(EnumSet.of(Lane.BULK));
            List<String> flood = submit(cbp, "BULK", 300);
            hold.awaitStuck(bulkLine);
            List<String> urgentAgain = submit(cbp, "URGENT", 3);
            List<String> normalAgain = submit(cbp, "NORMAL", 40);
            awaitAllAt(mx, urgentAgain);
            awaitAllAt(mx, normalAgain);
            assertThat(countAt(mx, flood)).as("the BULK flood is still held").isZero();
            assertThat(hold.linesThatCarried(Lane.BULK)).as("BULK never borrowed the shared line").containsExactly(bulkLine);
            // what the operators see meanwhile: the BULK lane waiting, URGENT and NORMAL empty
            AgencyClient operator = AgencyClient.sample(dir.resolve("pki"), Country.US, "operator", usPorts.ops());
            assertThat(Poll.until(WAIT, () -> Optional.of(metrics(operator)).filter(m ->
                    m.contains("gateway_outbox_lane_depth{country=\"US\",direction=\"outbound\",lane=\"bulk\"} 300.0")
                    && m.contains("gateway_outbox_lane_depth{country=\"US\",direction=\"outbound\",lane=\"urgent\"} 0.0")
                    && m.contains("gateway_outbox_lane_depth{country=\"US\",direction=\"outbound\",lane=\"normal\"} 0.0"))))
                    .as("the lane gauges while the flood is held").isPresent();
            hold.release();
            awaitAllAt(mx, flood);

            assertThat(Poll.until(WAIT, () -> Optional.of(us.count("SELECT COUNT(*) FROM work WHERE kind = 'PEER_ENVELOPE'"))
                    .filter(n -> n == 0))).as("every receipt recorded: nothing left to send").isPresent();
        } finally {
            hold.release();
        }
    }

    private static String metrics(AgencyClient operator) {
        return new String(operator.get("/ops/v1/metrics").body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Submits {@code n} copies of the sample manifest with {@code priority} in one batch call; returns their ids. */
    private static List<String> submit(AgencyClient client, String priority, int n) throws IOException {
        byte[] sample = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        ObjectNode request = CanonicalJson.mapper().createObjectNode();
        ArrayNode items = request.putArray("messages");
        for (int i = 0; i < n; i++) {
            ObjectNode doc = (ObjectNode) CanonicalJson.mapper().readTree(sample);
            doc.put("priority", priority);
            items.addObject().put("idempotencyKey", "lanes-" + UUID.randomUUID()).set("message", doc);
        }
        HttpResponse<byte[]> r = client.post("/api/v1/messages/batch", CanonicalJson.mapper().writeValueAsBytes(request));
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode result : CanonicalJson.mapper().readTree(r.body()).get("results")) {
            assertThat(result.get("status").asInt()).as(result.toString()).isEqualTo(202);
            ids.add(result.get("messageId").asText());
        }
        assertThat(ids).hasSize(n);
        return ids;
    }

    private static long countAt(GatewayHarness receiver, List<String> ids) {
        long n = 0;
        for (String id : ids) {
            n += receiver.count("SELECT COUNT(*) FROM inbox WHERE message_id = ?", id);
        }
        return n;
    }

    private static void awaitAllAt(GatewayHarness receiver, List<String> ids) {
        assertThat(Poll.until(WAIT, () -> Optional.of(countAt(receiver, ids)).filter(n -> n == ids.size())))
                .as("all %d messages in the receiving mailbox", ids.size()).isPresent();
    }

    /**
     * Holds, before the US gateway performs it, every peer-envelope batch that carries a job of the
     * held lanes, until released; records which line carried which lane.
     */
    private static final class Hold {
        private final Object monitor = new Object();
        private Set<Lane> held = EnumSet.noneOf(Lane.class);
        private final Map<WorkLine, Integer> stuck = new ConcurrentHashMap<>();
        private final Map<Lane, Set<WorkLine>> carried = new ConcurrentHashMap<>();

        void weave(CamelContext context) throws Exception {
            for (String route : List.of("work-peer-envelope", "work-peer-envelope-urgent", "work-peer-envelope-bulk")) {
                AdviceWith.adviceWith(context, route, a -> a.weaveById(route + "-run").before().process(gate()));
            }
        }

        private Processor gate() {
            return (Exchange exchange) -> {
                WorkRunner.Batch batch = exchange.getIn().getBody(WorkRunner.Batch.class);
                batch.jobs().forEach(j -> carried.computeIfAbsent(j.lane(), l -> ConcurrentHashMap.newKeySet()).add(batch.line()));
                synchronized (monitor) {
                    if (batch.jobs().stream().noneMatch(j -> held.contains(j.lane()))) {
                        return;
                    }
                    stuck.merge(batch.line(), 1, Integer::sum);
                    long until = System.nanoTime() + WAIT.toNanos();
                    while (batch.jobs().stream().anyMatch(j -> held.contains(j.lane())) && System.nanoTime() < until) {
                        monitor.wait(1000);
                    }
                    stuck.merge(batch.line(), -1, Integer::sum);
                }
            };
        }

        void lanes(Set<Lane> lanes) {
            synchronized (monitor) {
                held = EnumSet.copyOf(lanes);
                carried.clear();
            }
        }

        void release() {
            synchronized (monitor) {
                held = EnumSet.noneOf(Lane.class);
                monitor.notifyAll();
            }
        }

        /** Waits until a batch of {@code line} is held: that line's cycle cannot claim again until it ends. */
        void awaitStuck(WorkLine line) {
            assertThat(Poll.until(WAIT, () -> Optional.ofNullable(stuck.get(line)).filter(n -> n > 0)))
                    .as(line.name() + " holds a stuck batch").isPresent();
        }

        Set<WorkLine> linesThatCarried(Lane lane) {
            return carried.getOrDefault(lane, Set.of());
        }
    }
}
