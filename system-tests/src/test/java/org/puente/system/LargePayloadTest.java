package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.Country;
import org.puente.model.submission.SubmissionParser;

/**
 * A large payload goes end to end, REST submission to the receiving agency's payload download,
 * with each gateway JVM at {@code -Xmx512m}: validated, sealed, sent, opened, stored, receipted,
 * and the bytes downloaded are the bytes submitted. A gateway that ran out of heap on the way
 * would leave the message short of RECEIPTED (its log is searched for OutOfMemoryError too).
 *
 * <p>32 MiB, not the 64 MiB the gateways accept by default ({@code puente.limits.max-payload-bytes}):
 * at 64 MiB the sending gateway runs out of heap in validation, whose JSON tree alone is ~4.8 times
 * the document (docs/BENCHMARKS.md, "Large payloads"; issue 14). Before CanonicalJson lifted
 * Jackson's 20-million-character string limit, every payload above ~14 MiB was accepted with 202
 * and then refused by the peer as malformed JSON forever; this test found it.
 *
 * <p>Past what the heap can process (the processing budget: a twelfth of the heap by default),
 * documents are refused with their specific codes before they are validated, instead of an
 * OutOfMemoryError answered {@code 500 internal_error}: one larger than the whole budget is
 * {@code 413 payload_too_large}, one that would pass it while others are in process is
 * {@code 429 overloaded}. Many sent at once are shed the same way before their bodies are read:
 * before the body budget, sixteen of 0.9 budget each were all read and the sending gateway
 * answered {@code 500} "Java heap space".
 */
class LargePayloadTest {
    /** The payload's size in MiB ({@code -Dpuente.large-payload-mib=N} to measure another). */
    static final long PAYLOAD = Long.getLong("puente.large-payload-mib", 32) * 1024 * 1024;
    /** Each gateway's heap ({@code -Dpuente.large-payload-heap=H}, as for -Xmx: 512m, 1g). */
    static final String HEAP = System.getProperty("puente.large-payload-heap", "512m");
    static SystemExchange exchange;

    @BeforeAll
    static void start() {
        exchange = SystemExchange.start("large-payload", List.of("-Xmx" + HEAP), Map.of());
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    void a_32_mib_payload_arrives_byte_identical_with_each_gateway_at_512_mib_of_heap() throws Exception {
        byte[] document = LargeManifest.document(PAYLOAD);
        byte[] payload = SubmissionParser.payloadBytes(document, SubmissionParser.parse(document));
        assertThat((long) payload.length).isBetween(PAYLOAD * 99 / 100, PAYLOAD);

        AgencyConnection cbp = exchange.agency(Country.US, "CBP");
        AgencyConnection.Answer accepted = cbp.submit(document);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String id = accepted.json().path("messageId").asText();

        String status = awaitStatus(cbp, id, Duration.ofMinutes(5));
        assertThat(status).as("state of the large message at the sender").isIn("RECEIPTED", "DELIVERED");
        AgencyConnection.Answer downloaded = exchange.agency(Country.MX, "ANAM").payload(id);
        assertThat(downloaded.status()).isEqualTo(200);
        assertThat(downloaded.body().length).isEqualTo(payload.length);
        assertThat(sha256(downloaded.body())).isEqualTo(sha256(payload));
        assertNoOutOfMemoryErrorInEitherLog();
    }

    @Test
    void past_the_processing_budget_documents_are_refused_or_shed_with_their_codes_and_nothing_runs_out_of_heap()
            throws Exception {
        AgencyConnection cbp = exchange.agency(Country.US, "CBP");
        long budget = heapBytes(HEAP) / 12;

        AgencyConnection.Answer tooLarge = cbp.submit(LargeManifest.document(budget + 4 * 1024 * 1024));
        assertThat(tooLarge.status()).as(tooLarge.text()).isEqualTo(413);
        assertThat(tooLarge.json().path("code").asText()).isEqualTo("payload_too_large");

        // two documents that together pass the budget, submitted at once: each is accepted or shed
        byte[] document = LargeManifest.document(Math.min(PAYLOAD, budget * 3 / 4));
        List<CompletableFuture<AgencyConnection.Answer>> calls = List.of(cbp.submitAsync(document), cbp.submitAsync(document));
        List<String> accepted = acceptedOrShed(calls);
        assertThat(accepted).as("at least one of the two is taken").isNotEmpty();
        for (String id : accepted) {
            assertThat(awaitStatus(cbp, id, Duration.ofMinutes(5))).as(id).isIn("RECEIPTED", "DELIVERED");
        }
        assertNoOutOfMemoryErrorInEitherLog();
    }

    @Test
    void a_flood_of_large_documents_sent_at_once_is_shed_with_its_code_and_nothing_runs_out_of_heap() throws Exception {
        // sixteen documents each just inside the processing budget, all at once: together
        // sixteen budgets, more than the sending gateway's whole heap if each body were read first
        AgencyConnection cbp = exchange.agency(Country.US, "CBP");
        long budget = heapBytes(HEAP) / 12;
        byte[] document = LargeManifest.document(budget * 9 / 10);
        List<CompletableFuture<AgencyConnection.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(cbp.submitAsync(document));
        }
        List<String> accepted = acceptedOrShed(calls);
        assertThat(accepted).as("at least one is taken").isNotEmpty();
        assertThat(edgeRefusals()).as("refused at the listener, before their bodies were read").isPositive();
        for (String id : accepted) {
            assertThat(awaitStatus(cbp, id, Duration.ofMinutes(5))).as(id).isIn("RECEIPTED", "DELIVERED");
        }
        assertNoOutOfMemoryErrorInEitherLog();
    }

    /** Each answer is 202 or 429 overloaded; the ids of those accepted. */
    private static List<String> acceptedOrShed(List<CompletableFuture<AgencyConnection.Answer>> calls) throws Exception {
        List<String> accepted = new ArrayList<>();
        for (CompletableFuture<AgencyConnection.Answer> call : calls) {
            AgencyConnection.Answer a = call.get(5, TimeUnit.MINUTES);
            assertThat(a.status()).as(a.text()).isIn(202, 429);
            if (a.status() == 429) {
                assertThat(a.json().path("code").asText()).isEqualTo("overloaded");
            } else {
                accepted.add(a.json().path("messageId").asText());
            }
        }
        return accepted;
    }

    /** The US agency listener's 429 answers given before reading a body (gateway_api_errors_total, operation agency-edge). */
    private static double edgeRefusals() {
        String metrics = exchange.layout(Country.US).operator().get("/ops/v1/metrics").text();
        return metrics.lines().filter(l -> l.startsWith("gateway_api_errors_total{") && l.contains("\"agency-edge\"")
                && l.contains("\"overloaded\"")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static void assertNoOutOfMemoryErrorInEitherLog() throws IOException {
        for (Country c : Country.values()) {
            assertThat(logMentions(exchange.layout(c).dataDir().getParent(), "OutOfMemoryError"))
                    .as(c + " gateway log").isFalse();
        }
    }

    private static long heapBytes(String heap) {
        String h = heap.toLowerCase(java.util.Locale.ROOT);
        long unit = h.endsWith("g") ? 1L << 30 : h.endsWith("m") ? 1L << 20 : h.endsWith("k") ? 1L << 10 : 1;
        return Long.parseLong(unit == 1 ? h : h.substring(0, h.length() - 1)) * unit;
    }

    private static String awaitStatus(AgencyConnection sender, String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = sender.status(id).json().path("state").asText();
            if (List.of("RECEIPTED", "DELIVERED", "FAILED", "EXPIRED").contains(status)) {
                return status;
            }
            Thread.sleep(500);
        }
        return status;
    }

    private static boolean logMentions(Path gatewayDir, String text) throws IOException {
        try (Stream<Path> files = Files.walk(gatewayDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).anyMatch(f -> {
                try (Stream<String> lines = Files.lines(f)) {
                    return lines.anyMatch(l -> l.contains(text));
                } catch (IOException | java.io.UncheckedIOException e) {
                    return false;
                }
            });
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
