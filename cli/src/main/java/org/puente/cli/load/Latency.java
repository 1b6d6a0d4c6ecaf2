package org.puente.cli.load;

import java.util.List;

/**
 * The latency percentiles a run reports, in milliseconds, from sorted latencies in microseconds:
 * the one summary both the printed lines and the JSON figures are written from.
 */
record Latency(int count, double p50, double p95, double p99, double max) {

    static Latency of(List<Long> sortedMicros) {
        return new Latency(sortedMicros.size(), millis(sortedMicros, 50), millis(sortedMicros, 95), millis(sortedMicros, 99),
                millis(sortedMicros, 100));
    }

    /** "p50 … ms, p95 … ms, p99 … ms, max … ms". */
    String summary() {
        return String.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms", p50, p95, p99, max);
    }

    private static double millis(List<Long> sortedMicros, double p) {
        return LoadRun.percentile(sortedMicros, p) / 1000.0;
    }
}
