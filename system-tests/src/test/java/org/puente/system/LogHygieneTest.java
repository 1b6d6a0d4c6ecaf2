package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.puente.certs.SamplePki;
import org.puente.cli.agency.AgencyConnection;
import org.puente.cli.demo.Traffic;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;

/**
 * The gateways' logs of a full run — every message type both ways, refused submissions, acknowledgements,
 * an operator's suspend, expiry and re-drive, a metrics scrape — are one JSON object per line, carry
 * the gateway's country on every line and message id, correlation id and route on every exchange
 * event, and never contain a payload value of the samples, a private key or a password. The logs of
 * the other system tests of the same build (under target/system) are scanned for secrets too.
 */
class LogHygieneTest {
    /** Payload strings shorter than this are too generic to tell a leak from a coincidence. */
    private static final int MIN_VALUE = 6;
    /**
     * Payload values that are not distinctive: code words of the catalogue's enumerations (letters
     * and underscores only: "SEIZURE", "COMMERCIAL_CONFIDENTIAL"), dates, two-letter codes, URLs,
     * agency references. Identifiers with digits — container and trip numbers, RFCs, HS codes,
     * pedimentos — are distinctive and are looked for.
     */
    private static final Pattern NOT_DISTINCTIVE = Pattern.compile(
            "[A-Z_]+|\\d{4}-\\d{2}-\\d{2}.*|[a-z]{2}|https?://.*|[A-Z]{2}/[A-Z-]+");

    static SystemExchange exchange;

    @BeforeAll
    static void start() {
        exchange = SystemExchange.start("log-hygiene");
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    void a_full_run_logs_structured_metadata_and_never_a_payload_value_a_key_or_a_password() throws Exception {
        run();
        exchange.close();
        List<Path> own = List.of(exchange.layout(Country.US).dataDir().resolve("gateway.log"),
                exchange.layout(Country.MX).dataDir().resolve("gateway.log"));
        Set<String> forbidden = forbiddenValues(exchange.work.resolve("pki"));
        assertThat(forbidden).hasSizeGreaterThan(50);

        int events = 0;
        for (Path log : own) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertThat(lines).as(log.toString()).hasSizeGreaterThan(20);
            for (String line : lines) {
                JsonNode json = parse(line, log);
                assertThat(json.path("country").asText()).as("country on every line: " + line).isIn("US", "MX");
                if ("puente.exchange".equals(json.path("logger_name").asText())) {
                    events++;
                    assertThat(json.path("routeId").asText()).as(line).isNotEmpty();
                    assertThat(json.path("event").asText()).as(line).isNotEmpty();
                    if (!json.path("event").asText().endsWith("REJECTED")) {
                        assertThat(json.path("messageId").asText()).as(line).hasSize(36);
                        assertThat(json.path("correlationId").asText()).as(line).isNotEmpty();
                    }
                }
            }
        }
        assertThat(events).as("exchange events logged").isGreaterThan(60);

        assertThat(forbidden).as("container numbers, RFCs and the like are looked for too")
                .anyMatch(v -> v.matches("[A-Z]{4}\\d{7}")).anyMatch(v -> v.matches("[A-Z&]{3,4}\\d{6}[A-Z0-9]{3}"));
        List<String> leaks = new ArrayList<>();
        for (Path log : allSystemTestLogs(own)) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            for (String value : forbidden) {
                if (containsAsToken(text, value)) {
                    leaks.add(log + ": " + (value.length() > 40 ? value.substring(0, 40) + "…" : value));
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    /** Every sample type both ways, the mistakes, acknowledgements, and the operator's controls. */
    private static void run() {
        Map<Country, Map<String, Set<String>>> expected = new HashMap<>();
        for (Traffic.Submitted s : Traffic.submitInOrder(Traffic.samples(), Traffic.dependents(), exchange::agency,
                Duration.ofSeconds(60), x -> { })) {
            Traffic.Item item = s.item();
            AgencyConnection.Answer a = s.answer();
            assertThat(a.status()).as(item.name()).isEqualTo(202);
            JsonNode receiver = Traffic.read(item.document()).path("receiver");
            expected.computeIfAbsent(Country.valueOf(receiver.path("country").asText()), c -> new HashMap<>())
                    .computeIfAbsent(receiver.path("agency").asText(), k -> new HashSet<>())
                    .add(a.json().get("messageId").asText());
        }
        for (Traffic.Item item : Traffic.mistakes()) {
            assertThat(exchange.agency(item.country(), item.agency()).submit(item.document()).status()).as(item.name())
                    .isBetween(400, 499);
        }
        expected.forEach((country, mailboxes) -> mailboxes.forEach((agency, ids) -> {
            assertThat(exchange.awaitMailbox(country, agency, ids, Duration.ofSeconds(90)).keySet()).containsAll(ids);
            ids.forEach(id -> assertThat(exchange.agency(country, agency).acknowledge(id).status()).isEqualTo(200));
        }));

        AgencyConnection operator = exchange.layout(Country.US).operator();
        assertThat(operator.post("/ops/v1/delivery/suspend", "{\"reason\":\"log hygiene\"}".getBytes(StandardCharsets.UTF_8))
                .status()).isEqualTo(200);
        Traffic.Item manifest = Traffic.samples().stream().filter(i -> i.country() == Country.US).findFirst().orElseThrow();
        com.fasterxml.jackson.databind.node.ObjectNode shortLived =
                (com.fasterxml.jackson.databind.node.ObjectNode) Traffic.read(manifest.document());
        shortLived.put("timeToLive", "PT1S");
        String id = exchange.agency(Country.US, manifest.agency()).submit(CanonicalJson.bytes(shortLived)).json()
                .get("messageId").asText();
        assertThat(await(Duration.ofSeconds(30), () -> "EXPIRED".equals(
                exchange.agency(Country.US, manifest.agency()).status(id).json().path("state").asText())))
                .as("expired while suspended").isTrue();
        assertThat(operator.post("/ops/v1/delivery/resume", "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        assertThat(operator.post("/ops/v1/dead-letters/redrive", "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        assertThat(operator.get("/ops/v1/metrics").status()).isEqualTo(200);
    }

    /** Polls {@code done} every 100 ms until it holds or the time is up (bounded; no fixed sleep). */
    private static boolean await(Duration timeout, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
        return true;
    }

    /**
     * Distinctive payload strings of every sample (values a log line has no business holding),
     * the body lines of every private key of the run's PKI, and the keystore password.
     */
    static Set<String> forbiddenValues(Path pki) throws IOException {
        Set<String> values = new TreeSet<>();
        Set<String> header = new HashSet<>();
        for (Traffic.Item item : java.util.stream.Stream.concat(Traffic.samples().stream(), Traffic.dependents().stream())
                .toList()) {
            JsonNode document = Traffic.read(item.document());
            collect(document.path("payload"), values);
            // Header fields are metadata the logs are meant to carry (a correlation id often repeats
            // a reference of the payload, an agency id is configuration): not a leak.
            document.fields().forEachRemaining(f -> {
                if (!"payload".equals(f.getKey())) {
                    collect(f.getValue(), header);
                }
            });
        }
        values.removeAll(header);
        try (Stream<Path> files = Files.walk(pki)) {
            for (Path key : files.filter(p -> p.getFileName().toString().endsWith(".key.pem")).toList()) {
                for (String line : Files.readAllLines(key)) {
                    if (!line.startsWith("-----") && line.length() >= 40) {
                        values.add(line);
                    }
                }
            }
        }
        values.add(new String(SamplePki.samplePassword()));
        values.add("PRIVATE KEY");
        return values;
    }

    /** {@code value} in {@code text}, not as part of a longer run of letters and digits (a timestamp's digits are not an HS code). */
    static boolean containsAsToken(String text, String value) {
        for (int i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1)) {
            boolean before = i > 0 && Character.isLetterOrDigit(text.charAt(i - 1));
            int end = i + value.length();
            boolean after = end < text.length() && Character.isLetterOrDigit(text.charAt(end));
            if (!before && !after) {
                return true;
            }
        }
        return false;
    }

    private static void collect(JsonNode node, Set<String> values) {
        if (node.isTextual()) {
            String v = node.asText();
            if (v.length() >= MIN_VALUE && !NOT_DISTINCTIVE.matcher(v).matches()) {
                values.add(v);
            }
        }
        node.forEach(child -> collect(child, values));
    }

    private static List<Path> allSystemTestLogs(List<Path> own) throws IOException {
        Path root = exchange.work.getParent();
        List<Path> logs = new ArrayList<>(own);
        try (Stream<Path> files = Files.walk(root, 3)) {
            files.filter(p -> p.getFileName().toString().equals("gateway.log")).filter(p -> !own.contains(p)).forEach(logs::add);
        }
        return logs;
    }

    private static JsonNode parse(String line, Path log) {
        try {
            JsonNode json = CanonicalJson.mapper().readTree(line);
            assertThat(json.isObject()).as(log + ": " + line).isTrue();
            return json;
        } catch (IOException e) {
            throw new AssertionError(log + ": not a JSON line: " + line, e);
        }
    }
}
