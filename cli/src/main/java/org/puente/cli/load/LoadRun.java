package org.puente.cli.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.puente.cli.agency.AgencyConnection;

/**
 * Drives one load run: submitters push N documents (single or batched requests, optionally at a
 * fixed rate), a receiver pulls the other side's mailbox until every accepted message is there,
 * and each message's latency is taken from the gateways' own timestamps (created at the sending
 * gateway, stored at the receiving one), so the receiver's polling does not distort it.
 */
final class LoadRun {
    /**
     * @param latenciesMicros every message's latency, sorted
     * @param byPriority      the same per priority (header {@code priority}), each sorted
     * @param cursor          the receiving mailbox's position after the last arrival (where a next run starts reading)
     */
    record Result(int submitted, int accepted, int refused, int arrived, Duration elapsed, List<Long> latenciesMicros,
                  Map<String, List<Long>> byPriority, Instant firstCreated, Instant lastStored, long cursor) {
        double throughput() {
            Duration span = Duration.between(firstCreated, lastStored);
            return arrived / Math.max(0.001, span.toNanos() / 1e9);
        }
    }

    /**
     * Single messages submitted at a fixed pace beside the load, e.g. URGENT ones through a BULK
     * flood: their latency, printed apart, shows what the load does to them.
     */
    record Probe(byte[] document, Duration every, AgencyConnection sender) {
    }

    /** The {@code p}-th percentile of sorted values (0 if none). */
    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private final List<AgencyConnection> senders;
    private final AgencyConnection receiver;
    private final byte[] document;
    private final int count;
    /** A run whose mailbox stops filling after the last submission ends instead of waiting forever. */
    private static final long STALL_NANOS = 120_000_000_000L;
    private final int batch;
    private final double rate;
    private final PrintWriter out;
    private Optional<Probe> probe = Optional.empty();

    LoadRun(List<AgencyConnection> senders, AgencyConnection receiver, byte[] document, int count, int batch, double rate,
            PrintWriter out) {
        this.senders = senders;
        this.receiver = receiver;
        this.document = document;
        this.count = count;
        this.batch = batch;
        this.rate = rate;
        this.out = out;
    }

    LoadRun probing(Optional<Probe> p) {
        this.probe = p;
        return this;
    }

    /** Runs from the start of the receiving mailbox. */
    Result run() throws InterruptedException {
        return run(0);
    }

    /** Runs, reading the receiving mailbox after {@code mailboxCursor} (the cursor a previous run ended at). */
    Result run(long mailboxCursor) throws InterruptedException {
        ConcurrentHashMap<String, Boolean> accepted = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        AtomicLong firstError = new AtomicLong();
        long start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(senders.size());
        byte[] batchBody = batchBody();
        for (AgencyConnection sender : senders) {
            Thread t = new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndAdd(batch)) < count) {
                        pace(start, i);
                        int n = Math.min(batch, count - i);
                        if (batch == 1) {
                            AgencyConnection.Answer a = sender.submit(document);
                            record(a, accepted, refused, firstError);
                        } else {
                            AgencyConnection.Answer a = sender.submitBatch(n == batch ? batchBody : batchBody(n));
                            if (a.status() != 200) {
                                refused.addAndGet(n);
                                firstRefusal(firstError, a.status(), a.text());
                                continue;
                            }
                            for (JsonNode r : a.json().path("results")) {
                                if (r.path("status").asInt() == 202) {
                                    accepted.put(r.path("messageId").asText(), Boolean.TRUE);
                                } else {
                                    refused.incrementAndGet();
                                    firstRefusal(firstError, r.path("status").asInt(), r.path("error").toString());
                                }
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-submitter");
            t.setDaemon(true);
            t.start();
        }
        java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Optional<Thread> prober = probe.map(p -> startProbe(p, probing, accepted, refused, firstError));
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<String, List<Long>> byPriority = new TreeMap<>();
        Instant[] span = {null, null};
        int arrived = 0;
        long after = mailboxCursor;
        long lastProgress = 0;
        long lastArrival = System.nanoTime();
        while (true) {
            boolean submittingDone = done.getCount() == 0;
            JsonNode page = receiver.inbox(after, 500).json();
            JsonNode messages = page.path("messages");
            for (JsonNode m : messages) {
                Instant created = Instant.parse(m.path("header").path("createdAt").asText());
                Instant stored = Instant.parse(m.path("receivedAt").asText());
                long micros = Duration.between(created, stored).toNanos() / 1000;
                latencies.add(micros);
                byPriority.computeIfAbsent(m.path("header").path("priority").asText("NORMAL"), k -> new ArrayList<>())
                        .add(micros);
                span[0] = span[0] == null || created.isBefore(span[0]) ? created : span[0];
                span[1] = span[1] == null || stored.isAfter(span[1]) ? stored : span[1];
                arrived++;
                lastArrival = System.nanoTime();
            }
            after = page.path("next").asLong(after);
            if (System.nanoTime() - lastProgress > 500_000_000L) {
                progress(next.get(), accepted.size(), arrived);
                lastProgress = System.nanoTime();
            }
            if (submittingDone && arrived >= accepted.size()) {
                if (prober.isEmpty() || !probing.get()) {
                    break;
                }
                // the load has arrived: stop probing, then wait for the probe's last messages too
                probing.set(false);
                prober.get().join();
                continue;
            }
            if (submittingDone && System.nanoTime() - lastArrival > STALL_NANOS) {
                out.printf("%n%d accepted messages did not arrive: nothing new in the mailbox for %d s, stopping%n",
                        accepted.size() - arrived, STALL_NANOS / 1_000_000_000L);
                break;
            }
            if (messages.size() < 500) {
                Thread.sleep(20);
            }
        }
        progress(count, accepted.size(), arrived);
        out.println();
        long elapsed = System.nanoTime() - start;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        byPriority.values().forEach(Collections::sort);
        return new Result(count, accepted.size(), refused.get(), arrived, Duration.ofNanos(elapsed), sorted, byPriority,
                span[0] == null ? Instant.now() : span[0], span[1] == null ? Instant.now() : span[1], after);
    }

    /** Submits the probe's message at its pace until the whole load has arrived ({@code probing} turns false). */
    private Thread startProbe(Probe p, java.util.concurrent.atomic.AtomicBoolean probing,
                              ConcurrentHashMap<String, Boolean> accepted, AtomicInteger refused, AtomicLong firstError) {
        Thread t = new Thread(() -> {
            try {
                while (probing.get()) {
                    record(p.sender().submit(p.document()), accepted, refused, firstError);
                    Thread.sleep(p.every().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "load-probe");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void record(AgencyConnection.Answer a, ConcurrentHashMap<String, Boolean> accepted, AtomicInteger refused,
                        AtomicLong firstError) {
        if (a.status() == 202) {
            accepted.put(a.json().path("messageId").asText(), Boolean.TRUE);
        } else {
            refused.incrementAndGet();
            firstRefusal(firstError, a.status(), a.text());
        }
    }

    private void firstRefusal(AtomicLong firstError, int status, String body) {
        if (firstError.compareAndSet(0, status)) {
            out.printf("%nfirst refusal: HTTP %d %s%n", status, body);
        }
    }

    private void pace(long start, int i) {
        if (rate <= 0) {
            return;
        }
        long due = start + (long) (i / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private byte[] batchBody() {
        return batchBody(batch);
    }

    private byte[] batchBody(int n) {
        StringBuilder sb = new StringBuilder("{\"messages\":[");
        String doc = new String(document, java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"message\":").append(doc).append('}');
        }
        return sb.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private void progress(int submitted, int accepted, int arrived) {
        int width = 40;
        int filled = (int) ((long) width * arrived / Math.max(1, count));
        out.printf("\r[%s%s] submitted %d/%d, accepted %d, in the mailbox %d   ", "#".repeat(filled),
                ".".repeat(width - filled), Math.min(submitted, count), count, accepted, arrived);
        out.flush();
    }
}
