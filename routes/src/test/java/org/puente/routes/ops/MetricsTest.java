package org.puente.routes.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.Poll;
import org.puente.routes.testing.Promtool;

/**
 * The Prometheus scrape of a gateway that has carried traffic, judged by Prometheus's own
 * {@code promtool}; the example alert rules, checked by {@code promtool} and against the meters
 * that really exist; the loopback-only plain-HTTP port; and readiness built on Camel's health
 * registry.
 */
class MetricsTest {
    /** docs/ops/alerts.yml in the checkout (the module's parent). */
    static final Path ALERTS = Path.of("..", "docs", "ops", "alerts.yml");
    static final Path ALERT_TESTS = Path.of("..", "docs", "ops", "alerts.test.yml");

    @TempDir
    static Path dir;
    static OpsGateways gateways;
    static int loopbackPort;
    static String scrape;

    @BeforeAll
    static void start() {
        loopbackPort = GatewayHarness.freePort();
        gateways = OpsGateways.start(dir, Map.of("puente.listen.loopback-metrics-port", String.valueOf(loopbackPort)));
        String accepted = gateways.submit(OpsGateways.manifest(null));
        HttpResponse<byte[]> refused = gateways.cbp.post("/api/v1/messages", "{\"messageType\":\"cargo.manifest\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(gateways.awaitState(accepted, "RECEIPTED", Duration.ofSeconds(30))).isEqualTo("RECEIPTED");
        // The receipt metric is recorded right after the state change: wait for it rather than assume it.
        scrape = Poll.until(Duration.ofSeconds(10), () -> Optional.of(scrapeAsOperator())
                .filter(s -> s.contains("gateway_sends_succeeded_total{"))).orElseGet(MetricsTest::scrapeAsOperator);
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
    }

    static String scrapeAsOperator() {
        HttpResponse<byte[]> r = gateways.operator.get("/ops/v1/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void the_scrape_is_prometheus_text_with_the_exchange_camel_and_jvm_meters() throws IOException {
        HttpResponse<byte[]> r = gateways.operator.get("/ops/v1/metrics");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        Files.writeString(Path.of("target", "ops-scrape-sample.txt"), scrape);
        assertThat(scrape).contains("gateway_submissions_accepted_total{", "gateway_submissions_rejected_total{",
                "gateway_envelopes_sealed_total{", "gateway_sends_attempted_total{", "gateway_sends_succeeded_total{",
                "gateway_latency_receipt_seconds_bucket{", "gateway_outbox_depth{", "gateway_outbox_oldest_age_seconds{",
                "gateway_mailbox_depth{", "gateway_audit_append_seconds_bucket{", "gateway_audit_append_failures_total{",
                "gateway_certificate_expiry_seconds{", "gateway_deadletters_depth{", "gateway_peer_up{",
                "gateway_reconciliation_mismatches_total{");
        assertThat(scrape).contains("camel_exchanges_total{", "gateway_routes_started{", "jvm_memory_used_bytes{",
                "jvm_threads_live_threads{", "jvm_classes_loaded_classes{", "process_cpu_usage{");
        assertThat(scrape).containsPattern("gateway_submissions_rejected_total\\{[^}]*code=\"required_field_missing\"");
        assertThat(scrape).as("no message id ever becomes a tag").doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-");
    }

    @Test
    void promtool_accepts_the_scrape_without_a_lint_problem() {
        assumeTrue(Promtool.installed(), "promtool is not installed (Debian package prometheus; .ci/run installs it)");
        Promtool.Result result = Promtool.checkMetrics(scrape);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void promtool_accepts_the_alert_rules_and_their_unit_tests() {
        assumeTrue(Promtool.installed(), "promtool is not installed (Debian package prometheus; .ci/run installs it)");
        Promtool.Result rules = Promtool.checkRules(ALERTS);
        assertThat(rules.exitCode()).as(rules.output()).isZero();
        assertThat(rules.output()).containsPattern("SUCCESS: [1-9][0-9]* rules found");
        Promtool.Result tests = Promtool.testRules(ALERT_TESTS);
        assertThat(tests.exitCode()).as(tests.output()).isZero();
    }

    @Test
    void every_alert_expression_names_only_meters_of_a_real_scrape() throws IOException {
        Set<String> exposed = metricNames(scrape);
        List<String> expressions = alertExpressions(Files.readString(ALERTS));
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(6);
        List<String> missing = new ArrayList<>();
        for (String expr : expressions) {
            Matcher m = Pattern.compile("\\b((?:gateway|camel|jvm|process)_[a-z0-9_]+)").matcher(expr);
            boolean any = false;
            while (m.find()) {
                any = true;
                if (!exposed.contains(m.group(1))) {
                    missing.add(m.group(1) + " in: " + expr);
                }
            }
            assertThat(any).as("the expression names a gateway meter: " + expr).isTrue();
        }
        assertThat(missing).as("exposed: " + exposed).isEmpty();
    }

    @Test
    void the_loopback_port_serves_the_scrape_and_health_to_this_host_only() throws Exception {
        HttpClient plain = HttpClient.newHttpClient();
        HttpResponse<String> metrics = plain.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + loopbackPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("gateway_submissions_accepted_total{", "jvm_memory_used_bytes{");
        HttpResponse<String> ready = plain.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + loopbackPort + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(OpsGateways.json(ready.body().getBytes(StandardCharsets.UTF_8)).path("checks").has("database")).isTrue();
        HttpResponse<String> dashboard = plain.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + loopbackPort + "/ops/v1/dashboard")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(dashboard.statusCode()).as("no dashboard or control without a client certificate").isEqualTo(404);
        // Bound to the loopback address, not the wildcard: other hosts cannot reach it. (Checked on
        // the socket rather than by connecting to this machine's other addresses.)
        LoopbackMetricsServer server = gateways.us.context().hasService(LoopbackMetricsServer.class);
        assertThat(server.address().getAddress().isLoopbackAddress()).as(server.address().toString()).isTrue();
        assertThat(server.address().getPort()).isEqualTo(loopbackPort);
    }

    @Test
    void readiness_is_camels_evaluation_of_the_gateway_checks() {
        HttpResponse<byte[]> r = gateways.operator.get("/ops/v1/health/ready");
        assertThat(r.statusCode()).isEqualTo(200);
        var checks = OpsGateways.json(r).path("checks");
        assertThat(checks.has("database") && checks.has("instance") && checks.has("outbox") && checks.has("certificates") && checks.has("disk")
                && checks.has("peer") && checks.has("camel-context") && checks.has("camel-routes")).as(checks.toString()).isTrue();
        Set<String> camelReadiness = HealthCheckRegistry.get(gateways.us.context()).stream()
                .filter(c -> "puente".equals(c.getGroup())).filter(HealthCheck::isReadiness).map(HealthCheck::getId)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(camelReadiness).containsExactly("certificates", "database", "disk", "instance", "outbox");
        assertThat(checks.path("instance").path("detail").asText()).as("SQLite: one process, no name").isEqualTo("unnamed");
        assertThat(OpsGateways.json(gateways.operator.get("/ops/v1/health/live")).path("checks").has("database")).isTrue();
    }

    @Test
    void the_scrape_is_for_operators_and_auditors_only() {
        assertThat(gateways.auditor.get("/ops/v1/metrics").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> agency = gateways.agencyOnOps.get("/ops/v1/metrics");
        assertThat(agency.statusCode()).isEqualTo(403);
        assertThat(OpsGateways.json(agency).path("code").asText()).isEqualTo("forbidden");
    }

    static Set<String> metricNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{');
            if (end < 0) {
                end = line.indexOf(' ');
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /** The {@code expr:} of every rule (one line each, or a folded block that follows). */
    static List<String> alertExpressions(String yaml) {
        List<String> out = new ArrayList<>();
        String[] lines = yaml.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith("expr:")) {
                continue;
            }
            String rest = line.substring("expr:".length()).strip();
            if (rest.equals(">") || rest.equals("|") || rest.equals(">-") || rest.equals("|-")) {
                StringBuilder b = new StringBuilder();
                int indent = lines[i].indexOf("expr:");
                while (i + 1 < lines.length && (lines[i + 1].isBlank()
                        || lines[i + 1].length() - lines[i + 1].stripLeading().length() > indent)) {
                    b.append(lines[++i].strip()).append(' ');
                }
                rest = b.toString().strip();
            }
            out.add(rest);
        }
        return out;
    }
}
