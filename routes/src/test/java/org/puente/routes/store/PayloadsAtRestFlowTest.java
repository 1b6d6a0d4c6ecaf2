package org.puente.routes.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.CanonicalJson;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * Payloads at rest over a real exchange between two gateways: after a message has gone from CBP
 * to ANAM and back as a delivery, no byte of either gateway's database files (SQLite database,
 * write-ahead log, shared memory) holds the payload in clear; and with a short retention the
 * payload sweep purges both copies, the agency API answers 410 {@code payload_purged}, the
 * sender's status history stays, and the purges are counted and audited.
 */
class PayloadsAtRestFlowTest {
    /** A value found nowhere but in the test's payload (not in the header, which stays in clear). */
    private static final String MARKER = "ZEBRA-PELICAN-7731";

    @TempDir
    Path dir;

    @Test
    void after_a_full_exchange_neither_database_holds_the_payload_in_clear(/* default retention */) throws Exception {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            String id = exchange(pair);

            for (String country : List.of("us", "mx")) {
                List<Path> files = databaseFiles(dir.resolve(country));
                assertThat(files).as("%s database files", country).isNotEmpty();
                // the scan reads what is there: the message id (header, columns) is found in clear
                assertThat(files.stream().anyMatch(f -> contains(f, id))).as("%s holds the message id", country).isTrue();
                for (Path f : files) {
                    assertThat(contains(f, MARKER)).as("payload value in clear in %s", f).isFalse();
                }
            }
        }
    }

    @Test
    void after_the_retention_both_payloads_are_purged_and_answered_payload_purged() throws Exception {
        Map<String, String> shortRetention = Map.of("puente.data.payload-retention", "PT1S");
        try (GatewayPair pair = GatewayPair.start(dir, shortRetention, shortRetention)) {
            AgencyClient cbp = pair.agencyClient(pair.us, "agency-cbp");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
            String id = exchange(pair);

            // the payload-retention route's next tick (every 10 s with this retention) purges it
            Optional<HttpResponse<byte[]>> gone = Poll.until(Duration.ofSeconds(60), () -> Optional.of(
                    anam.get("/api/v1/inbox/" + id + "/payload")).filter(r -> r.statusCode() != 200));

            assertThat(gone).isPresent();
            HttpResponse<byte[]> payload = gone.get();
            assertThat(payload.statusCode()).isEqualTo(410);
            assertThat(json(payload.body()).get("code").asText()).as(new String(payload.body())).isEqualTo("payload_purged");
            HttpResponse<byte[]> message = anam.get("/api/v1/inbox/" + id);
            assertThat(message.statusCode()).isEqualTo(410);
            assertThat(json(message.body()).get("code").asText()).isEqualTo("payload_purged");
            assertThat(purged(pair.mx, "inbound")).isEqualTo(1.0);
            assertThat(pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'PAYLOADS_PURGED'")).isEqualTo(1);

            Optional<Long> sentPurged = Poll.until(Duration.ofSeconds(60), () -> Optional.of(pair.us.count(
                    "SELECT COUNT(*) FROM outbox WHERE payload_purged_at IS NOT NULL")).filter(n -> n > 0));
            assertThat(sentPurged).contains(1L);
            assertThat(pair.us.count("SELECT COUNT(*) FROM outbox WHERE envelope IS NULL AND length(payload) = 0"
                    + " AND payload_sha256 IS NOT NULL AND receipt IS NOT NULL AND delivery_notice IS NOT NULL")).isEqualTo(1);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> Optional.of(purged(pair.us, "outbound")).filter(n -> n > 0)))
                    .contains(1.0);
            JsonNode status = json(cbp.get("/api/v1/messages/" + id).body());
            assertThat(status.get("state").asText()).isEqualTo("DELIVERED");
            assertThat(status.get("history").findValuesAsText("status"))
                    .containsExactly("ACCEPTED", "SENT", "RECEIPTED", "DELIVERED");
        }
    }

    /** CBP sends a manifest carrying {@link #MARKER}; ANAM reads it (byte-identical), acknowledges; the delivery comes back. */
    private static String exchange(GatewayPair pair) {
        AgencyClient cbp = pair.agencyClient(pair.us, "agency-cbp");
        AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");
        String manifest = new String(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes(),
                StandardCharsets.UTF_8);
        assertThat(manifest).contains("Southbound manifest train Laredo - Nuevo Laredo");
        byte[] document = manifest.replace("Southbound manifest train Laredo - Nuevo Laredo", MARKER + " southbound train")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> accepted = cbp.post("/api/v1/messages", document);
        assertThat(accepted.statusCode()).as(new String(accepted.body())).isEqualTo(202);
        String id = json(accepted.body()).get("messageId").asText();

        Optional<byte[]> arrived = Poll.until(Duration.ofSeconds(30), () -> Optional.of(
                anam.get("/api/v1/inbox/" + id + "/payload")).filter(r -> r.statusCode() == 200).map(HttpResponse::body));
        assertThat(arrived).isPresent();
        assertThat(new String(arrived.get(), StandardCharsets.UTF_8)).contains(MARKER);
        assertThat(anam.post("/api/v1/inbox/" + id + "/ack", new byte[0]).statusCode()).isEqualTo(200);
        Optional<String> delivered = Poll.until(Duration.ofSeconds(30), () -> Optional.of(
                json(cbp.get("/api/v1/messages/" + id).body()).get("state").asText()).filter("DELIVERED"::equals));
        assertThat(delivered).contains("DELIVERED");
        return id;
    }

    private static double purged(GatewayHarness gateway, String direction) {
        MeterRegistry registry = gateway.context().getRegistry()
                .lookupByNameAndType("prometheusMeterRegistry", MeterRegistry.class);
        Counter c = registry.find("gateway.payloads.purged").tag("direction", direction).counter();
        return c == null ? -1 : c.count();
    }

    /** The embedded database's files in a gateway's data folder: puente.db and its -wal and -shm. */
    private static List<Path> databaseFiles(Path dataDir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dataDir)) {
            s.filter(p -> p.getFileName().toString().startsWith("puente.db")).forEach(files::add);
        }
        return files;
    }

    private static boolean contains(Path file, String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        byte[] hay;
        try {
            hay = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static JsonNode json(byte[] body) {
        try {
            return CanonicalJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(new String(body, StandardCharsets.UTF_8), e);
        }
    }
}
