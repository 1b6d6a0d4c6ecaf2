package org.puente.routes.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last hour of traffic, minute by minute, for the dashboard: how many messages were accepted,
 * refused, receipted by the peer, failed or retried, received from the peer, refused from it,
 * expired, and acknowledged by our agencies. Read from the gateway's counters (totals over every
 * tag), so it shows exactly what the metrics say; sampled by the health schedule.
 */
public final class TrafficHistory {
    /** Minutes kept. */
    public static final int MINUTES = 60;

    /** Series name → the counters summed into it. */
    static final Map<String, List<String>> SERIES = series();

    private final MeterRegistry registry;
    private final Clock clock;
    private final Deque<Map<String, Double>> minutes = new ArrayDeque<>(MINUTES + 1);
    private long currentMinute = -1;
    private Map<String, Double> minuteStart = Map.of();

    public TrafficHistory(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    private static Map<String, List<String>> series() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("accepted", List.of("gateway.submissions.accepted"));
        m.put("rejected", List.of("gateway.submissions.rejected"));
        m.put("sent", List.of("gateway.sends.succeeded"));
        m.put("sendErrors", List.of("gateway.sends.failed", "gateway.sends.retried"));
        m.put("received", List.of("gateway.envelopes.opened"));
        m.put("refused", List.of("gateway.envelopes.rejected"));
        m.put("expired", List.of("gateway.messages.expired"));
        m.put("acknowledged", List.of("gateway.messages.acknowledged"));
        return m;
    }

    /** Totals since start, by series. */
    public Map<String, Double> totals() {
        Map<String, Double> t = new LinkedHashMap<>();
        SERIES.forEach((name, meters) -> t.put(name, meters.stream()
                .mapToDouble(m -> registry.find(m).counters().stream().mapToDouble(Counter::count).sum()).sum()));
        return t;
    }

    /** Closes the minute when it has turned. Cheap: called every second. */
    public synchronized void sample() {
        long minute = clock.millis() / 60_000;
        if (minute == currentMinute) {
            return;
        }
        Map<String, Double> now = totals();
        if (currentMinute >= 0) {
            long skipped = Math.min(MINUTES, minute - currentMinute - 1);
            minutes.addLast(delta(now, minuteStart));
            for (long i = 0; i < skipped; i++) {
                minutes.addLast(zero());
            }
            while (minutes.size() > MINUTES - 1) {
                minutes.removeFirst();
            }
        }
        currentMinute = minute;
        minuteStart = now;
    }

    /** Per series, one count per minute, oldest first; the last is the minute in progress. */
    public synchronized Map<String, List<Long>> lastHour() {
        List<Map<String, Double>> rows = new ArrayList<>(minutes);
        rows.add(delta(totals(), minuteStart));
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (String name : SERIES.keySet()) {
            List<Long> values = new ArrayList<>(rows.size());
            rows.forEach(r -> values.add(Math.round(r.getOrDefault(name, 0.0))));
            out.put(name, values);
        }
        return out;
    }

    private static Map<String, Double> delta(Map<String, Double> now, Map<String, Double> start) {
        Map<String, Double> d = new LinkedHashMap<>();
        now.forEach((k, v) -> d.put(k, v - start.getOrDefault(k, 0.0)));
        return d;
    }

    private static Map<String, Double> zero() {
        Map<String, Double> z = new LinkedHashMap<>();
        SERIES.keySet().forEach(k -> z.put(k, 0.0));
        return z;
    }
}
