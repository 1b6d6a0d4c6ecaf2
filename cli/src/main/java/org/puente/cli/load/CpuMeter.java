package org.puente.cli.load;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time (user + system) of the load client and of each gateway process over one run, read from
 * each process's own counters ({@link ProcessHandle.Info#totalCpuDuration()}: the kernel's account
 * of the process, every thread included), so that a run reports what a message costs on each side
 * and how much of the machine the client itself took.
 */
final class CpuMeter {
    private final Map<String, ProcessHandle> processes = new LinkedHashMap<>();
    private final Map<String, Duration> start = new LinkedHashMap<>();

    CpuMeter(Map<String, Long> gatewayPids) {
        processes.put("client", ProcessHandle.current());
        gatewayPids.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(h -> processes.put(name, h)));
    }

    /** Takes the starting counters. */
    CpuMeter start() {
        processes.forEach((name, h) -> cpu(h).ifPresent(d -> start.put(name, d)));
        return this;
    }

    /** CPU used by each process since {@link #start()}; a process whose counter cannot be read is left out. */
    Map<String, Duration> used() {
        Map<String, Duration> used = new LinkedHashMap<>();
        processes.forEach((name, h) -> {
            Duration from = start.get(name);
            cpu(h).filter(d -> from != null).ifPresent(d -> used.put(name, d.minus(from)));
        });
        return used;
    }

    /** Prints CPU per message for each process and in all, and the client's share. */
    static void print(PrintWriter out, Map<String, Duration> used, int messages) {
        if (used.isEmpty() || messages <= 0) {
            out.println("CPU: not available on this platform");
            return;
        }
        double total = total(used).toNanos() / 1e6;
        StringBuilder line = new StringBuilder(String.format("CPU per message (user + system): %.2f ms in all", total / messages));
        used.forEach((name, d) -> line.append(String.format(", %s %.2f ms", name, d.toNanos() / 1e6 / messages)));
        Duration client = used.getOrDefault("client", Duration.ZERO);
        line.append(String.format(" (the load client took %.0f %% of it)", total == 0 ? 0 : 100 * client.toNanos() / 1e6 / total));
        out.println(line);
    }

    /** The CPU of every process together. */
    static Duration total(Map<String, Duration> used) {
        return used.values().stream().reduce(Duration.ZERO, Duration::plus);
    }

    private static Optional<Duration> cpu(ProcessHandle h) {
        return h.info().totalCpuDuration();
    }
}
