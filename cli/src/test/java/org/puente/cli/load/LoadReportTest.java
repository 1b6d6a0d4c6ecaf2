package org.puente.cli.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadReportTest {
    private static final Instant T0 = Instant.parse("2026-12-05T17:00:00Z");
    private static final LoadReport.Setup SETUP = new LoadReport.Setup("cargo.manifest", "US", 4, 3000, 1, 16, 0, "NORMAL",
            "ec-p256", false, List.of("-Xmx1g"), true);

    /** Four messages, created over 2 s, with latencies of 10, 20, 30 and 400 ms. */
    private static LoadRun.Result result() {
        List<Long> micros = List.of(10_000L, 20_000L, 30_000L, 400_000L);
        return new LoadRun.Result(4, 4, 0, 4, Duration.ofMillis(2_500), micros, Map.of("NORMAL", micros), T0,
                T0.plusSeconds(2), 17);
    }

    @Test
    void the_json_holds_counts_throughput_latency_percentiles_and_cpu_per_message_by_process(@TempDir Path dir) throws Exception {
        Map<String, Duration> cpu = new LinkedHashMap<>();
        cpu.put("client", Duration.ofMillis(4));
        cpu.put("US", Duration.ofMillis(20));
        cpu.put("MX", Duration.ofMillis(12));
        Path file = dir.resolve("runs/load.json");

        Map<String, Duration> ready = new LinkedHashMap<>();
        ready.put("US", Duration.ofMillis(6_912));
        ready.put("MX", Duration.ofMillis(4_005));

        LoadReport.write(file, LoadReport.of(SETUP, ready, result(), cpu, 0));

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.path("setup").path("warmup").asInt()).isEqualTo(3000);
        assertThat(json.path("setup").path("gatewayOptions").get(0).asText()).isEqualTo("-Xmx1g");
        assertThat(json.path("setup").path("startOneAtATime").asBoolean()).isTrue();
        assertThat(json.path("readySeconds").path("US").asDouble()).isEqualTo(6.91);
        assertThat(json.path("readySeconds").path("MX").asDouble()).isEqualTo(4.01);
        assertThat(json.path("accepted").asInt()).isEqualTo(4);
        assertThat(json.path("arrived").asInt()).isEqualTo(4);
        assertThat(json.path("throughputPerSecond").asDouble()).isEqualTo(2.0);
        assertThat(json.path("latencyMillis").path("p50").asDouble()).isEqualTo(20.0);
        assertThat(json.path("latencyMillis").path("p99").asDouble()).isEqualTo(400.0);
        assertThat(json.path("latencyMillis").path("max").asDouble()).isEqualTo(400.0);
        assertThat(json.path("cpuMillisPerMessage").path("all").asDouble()).isEqualTo(9.0);
        assertThat(json.path("cpuMillisPerMessage").path("US").asDouble()).isEqualTo(5.0);
        assertThat(json.path("cpuMillisPerMessage").path("client").asDouble()).isEqualTo(1.0);
        assertThat(json.has("minThroughputPerSecond")).isFalse();
        assertThat(json.has("latencyMillisByPriority")).as("one priority: no breakdown").isFalse();
    }

    @Test
    void a_minimum_is_recorded_with_whether_the_run_fell_below_it() {
        assertThat(LoadReport.of(SETUP, Map.of(), result(), Map.of(), 3).path("belowMinimum").asBoolean()).isTrue();
        assertThat(LoadReport.of(SETUP, Map.of(), result(), Map.of(), 2).path("belowMinimum").asBoolean()).isFalse();
        assertThat(LoadReport.of(SETUP, Map.of(), result(), Map.of(), 2).path("minThroughputPerSecond").asDouble()).isEqualTo(2.0);
    }
}
