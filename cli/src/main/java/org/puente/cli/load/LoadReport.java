package org.puente.cli.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The figures of one {@code puente load} run as JSON, beside the printed summary, so that runs
 * can be compared by a program: what was sent and how, each gateway's start (launch to ready), the
 * counts, throughput, latency percentiles (overall and per priority) and CPU per message by process.
 */
final class LoadReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LoadReport() {
    }

    /** How the run was made. */
    record Setup(String type, String from, int count, int warmup, int batch, int concurrency, double rate, String priority,
                 String profile, boolean relay, List<String> gatewayOptions, boolean startOneAtATime) {
    }

    static ObjectNode of(Setup setup, Map<String, Duration> readyAfter, LoadRun.Result r, Map<String, Duration> cpu,
                         double minThroughput) {
        ObjectNode root = JSON.createObjectNode();
        root.set("setup", JSON.valueToTree(setup));
        ObjectNode ready = root.putObject("readySeconds");
        readyAfter.forEach((name, d) -> ready.put(name, round(d.toMillis() / 1000.0)));
        root.put("submitted", r.submitted()).put("accepted", r.accepted()).put("refused", r.refused())
                .put("arrived", r.arrived()).put("elapsedSeconds", r.elapsed().toMillis() / 1000.0)
                .put("throughputPerSecond", round(r.throughput()));
        root.set("latencyMillis", latency(r.latenciesMicros()));
        if (r.byPriority().size() > 1) {
            ObjectNode by = root.putObject("latencyMillisByPriority");
            r.byPriority().forEach((level, micros) -> by.set(level, latency(micros)));
        }
        if (!cpu.isEmpty() && r.arrived() > 0) {
            ObjectNode perMessage = root.putObject("cpuMillisPerMessage");
            perMessage.put("all", round(CpuMeter.total(cpu).toNanos() / 1e6 / r.arrived()));
            cpu.forEach((name, d) -> perMessage.put(name, round(d.toNanos() / 1e6 / r.arrived())));
        }
        if (minThroughput > 0) {
            root.put("minThroughputPerSecond", minThroughput).put("belowMinimum", r.throughput() < minThroughput);
        }
        return root;
    }

    static void write(Path file, ObjectNode report) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), report);
    }

    private static ObjectNode latency(List<Long> sortedMicros) {
        Latency l = Latency.of(sortedMicros);
        return JSON.createObjectNode().put("count", l.count()).put("p50", round(l.p50())).put("p95", round(l.p95()))
                .put("p99", round(l.p99())).put("max", round(l.max()));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
