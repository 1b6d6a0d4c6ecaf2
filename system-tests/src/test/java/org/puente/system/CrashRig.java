package org.puente.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;

/**
 * Both gateways under a steady stream of submissions (US/CBP to MX/ANAM, each with its own
 * idempotency key, retried with the same key until a definite answer) while ANAM pulls and
 * acknowledges, and either gateway is killed with SIGKILL — at random moments and at the worst
 * instants: right after a client saw a 202, right after the receiver logged a message as stored,
 * right after the sender logged a receipt (then the receiver, or the sender, dies), right after
 * an acknowledgement was answered, right after the sender logged a delivery notice. What it
 * records lets {@link CrashFindings} check every promise afterwards.
 */
final class CrashRig implements AutoCloseable {
    static final byte[] MANIFEST = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
    static final Duration READY = Duration.ofSeconds(120);

    /** When a kill strikes. */
    enum Moment {
        RANDOM_US(Country.US), RANDOM_MX(Country.MX),
        /** The sending gateway, right after a client received its 202. */
        US_AFTER_202(Country.US),
        /** The receiving gateway, right after it logged a message as stored (its receipt is leaving). */
        MX_AFTER_STORE(Country.MX),
        /** The receiving gateway, right after the sender logged its receipt. */
        MX_AFTER_RECEIPT(Country.MX),
        /** The sending gateway, right after it logged a receipt. */
        US_AFTER_RECEIPT(Country.US),
        /** The receiving gateway, right after ANAM's acknowledgement was answered. */
        MX_AFTER_ACK(Country.MX),
        /** The sending gateway, right after it logged the peer's delivery notice. */
        US_AFTER_NOTICE(Country.US);

        final Country victim;

        Moment(Country victim) {
            this.victim = victim;
        }
    }

    /** Acknowledgements ANAM sends at once. */
    static final int ACKNOWLEDGERS = 4;
    /** Accepted but not yet acknowledged messages above which the submitters wait. */
    static final int MAX_BACKLOG = 2_000;

    /**
     * The lease of claimed jobs: 30 s here (2 minutes by default), three times the peer request
     * timeout, so a live sender never loses a lease mid-request. A restart voids its killed
     * predecessor's leases (on PostgreSQL, as the named instance {@code puente.db.instance-id});
     * the lease decides only where no restart does, as for an instance that stays down.
     */
    static final Map<String, String> LEASE = Map.of("puente.dispatch.lease", "PT30S");
    /** What a gateway logs when its start took its instance name (and its earlier runs' leases) on PostgreSQL. */
    static final String NAME_TAKEN = "holds its name on the database";

    final SystemExchange exchange;
    final SystemExchange.Store store;
    /** Idempotency key -> the message id of the 202 (a second, different id for a key is recorded in conflicts). */
    final Map<String, String> accepted = new ConcurrentHashMap<>();
    final Set<String> conflicts = ConcurrentHashMap.newKeySet();
    /** Message ids ANAM acknowledged (answered 200). */
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    /** Message id -> the mailbox positions it was listed at (more than one would be a duplicate). */
    final Map<String, Set<Long>> listedAt = new ConcurrentHashMap<>();
    final Map<Moment, Integer> kills = new EnumMap<>(Moment.class);
    /** Restarts on PostgreSQL that did not take their instance name (their killed predecessor's session outlived it). */
    final AtomicInteger namesNotTaken = new AtomicInteger();
    final AtomicInteger refusals = new AtomicInteger();
    final AtomicReference<String> unexpected = new AtomicReference<>();

    private final AtomicBoolean submitting = new AtomicBoolean(true);
    private final AtomicBoolean pulling = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Random random;
    private volatile Runnable after202 = () -> { };
    private volatile Runnable afterAck = () -> { };

    CrashRig(String name, SystemExchange.Store store, long seed) {
        this.store = store;
        this.random = new Random(seed);
        this.exchange = SystemExchange.start(name, store, Map.of(Country.US, LEASE, Country.MX, LEASE));
    }

    /** Starts {@code submitters} submitting threads and ANAM's puller. */
    CrashRig load(int submitters) {
        for (int t = 0; t < submitters; t++) {
            String prefix = "crash-" + t + "-";
            threads.add(started(new Thread(() -> submit(prefix), "submitter-" + t)));
        }
        threads.add(started(new Thread(this::pull, "anam-puller")));
        return this;
    }

    private void submit(String prefix) {
        AgencyConnection cbp = exchange.agency(Country.US, "CBP");
        for (int n = 0; submitting.get(); n++) {
            String key = prefix + n;
            // the backlog stays bounded, so that the run tests crashes and not how far the puller falls behind
            while (accepted.size() - acknowledged.size() > MAX_BACKLOG && submitting.get()) {
                pause(100);
            }
            while (true) {
                try {
                    AgencyConnection.Answer a = cbp.submit(MANIFEST, key);
                    if (a.status() == 202) {
                        String id = a.json().get("messageId").asText();
                        String earlier = accepted.putIfAbsent(key, id);
                        if (earlier != null && !earlier.equals(id)) {
                            conflicts.add(key + ": " + earlier + " then " + id);
                        }
                        after202.run();
                        break;
                    }
                    if (a.status() != 503 && a.status() != 429) {
                        unexpected.compareAndSet(null, "submission " + key + " answered " + a.status() + " " + a.text());
                        break;
                    }
                    refusals.incrementAndGet();
                } catch (RuntimeException e) {
                    // the gateway is down or died mid-request: same key again
                }
                pause(50);
            }
        }
    }

    private void pull() {
        AgencyConnection anam = exchange.agency(Country.MX, "ANAM");
        // as a real agency system does: an acknowledgement whose answer was lost (the gateway died
        // after applying it) is sent again until it is answered; the message has left the mailbox.
        // Acknowledgements go out ACKNOWLEDGERS at a time (one HTTP request each): one at a time, a
        // 100-kill PostgreSQL run had acknowledged 12,657 of 34,097 by its end.
        Set<String> toAcknowledge = ConcurrentHashMap.newKeySet();
        ExecutorService acks = Executors.newFixedThreadPool(ACKNOWLEDGERS, r -> {
            Thread t = new Thread(r, "anam-acknowledger");
            t.setDaemon(true);
            return t;
        });
        try {
            while (pulling.get()) {
                try {
                    JsonNode page = anam.inbox(0, 200).json();
                    for (JsonNode m : page.path("messages")) {
                        String id = m.get("messageId").asText();
                        listedAt.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(m.get("mailboxSeq").asLong());
                        toAcknowledge.add(id);
                    }
                    List<Callable<Void>> batch = new ArrayList<>();
                    for (String id : toAcknowledge) {
                        batch.add(() -> {
                            acknowledge(anam, id, toAcknowledge);
                            return null;
                        });
                    }
                    acks.invokeAll(batch);
                    if (page.path("messages").isEmpty()) {
                        pause(100);
                    }
                } catch (RuntimeException e) {
                    pause(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            acks.shutdownNow();
        }
    }

    private void acknowledge(AgencyConnection anam, String id, Set<String> toAcknowledge) {
        try {
            if (anam.acknowledge(id).status() == 200) {
                acknowledged.add(id);
                afterAck.run();
                toAcknowledge.remove(id);
            }
        } catch (RuntimeException e) {
            // the gateway is down or died mid-request: sent again on the next round
        }
    }

    /** Kills the moment's victim at that moment (or after {@code fallback} if the moment does not come), then restarts it. */
    void kill(Moment m, Duration fallback) {
        Country victim = m.victim;
        switch (m) {
            case RANDOM_US, RANDOM_MX -> pause(200 + random.nextInt(1800));
            case US_AFTER_202 -> awaitSignal(r -> after202 = r, fallback);
            case MX_AFTER_ACK -> awaitSignal(r -> afterAck = r, fallback);
            case MX_AFTER_STORE -> watch(Country.MX).await("\"message\":\"envelope from the peer verified and stored\"", fallback);
            case MX_AFTER_RECEIPT, US_AFTER_RECEIPT -> watch(Country.US).await("\"message\":\"peer receipted the envelope\"", fallback);
            case US_AFTER_NOTICE -> watch(Country.US).await("\"message\":\"peer notice: the receiving agency has it\"", fallback);
            default -> throw new IllegalStateException(m.name());
        }
        exchange.exchange.process(victim).kill();
        kills.merge(m, 1, Integer::sum);
        LogWatch restart = watch(victim);
        exchange.restart(victim);
        if (store == SystemExchange.Store.POSTGRESQL && !restart.await(NAME_TAKEN, Duration.ofSeconds(5))) {
            namesNotTaken.incrementAndGet();
        }
    }

    private LogWatch watch(Country c) {
        return new LogWatch(exchange.layout(c).dataDir().resolve("gateway.log"));
    }

    private void awaitSignal(java.util.function.Consumer<Runnable> install, Duration timeout) {
        java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
        install.accept(seen::countDown);
        try {
            seen.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        install.accept(() -> { });
    }

    /** A moment chosen at random (every one of them comes up in a long run). */
    Moment anyMoment() {
        return Moment.values()[random.nextInt(Moment.values().length)];
    }

    /** Stops submitting (each submitter finishes its key), then waits until ANAM acknowledged everything accepted. */
    boolean drain(Duration timeout) {
        submitting.set(false);
        for (Thread t : threads) {
            if (t.getName().startsWith("submitter-")) {
                join(t);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (acknowledged.containsAll(accepted.values())) {
                return true;
            }
            pause(250);
        }
        return false;
    }

    /** Waits until the sending gateway holds a delivery notice for every acknowledged message. */
    boolean awaitNotices(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = exchange.database(Country.US)) {
                if (count(c, "SELECT COUNT(*) FROM outbox WHERE state = 'DELIVERED' AND delivery_notice IS NOT NULL")
                        >= acknowledged.size()) {
                    return true;
                }
            } catch (SQLException e) {
                // busy: try again
            }
            pause(250);
        }
        return false;
    }

    static long count(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    Map<String, Object> summary() {
        Map<String, Object> s = new HashMap<>();
        s.put("store", store.name());
        s.put("kills", kills.values().stream().mapToInt(Integer::intValue).sum());
        s.put("killsByMoment", Map.copyOf(kills));
        s.put("namesNotTaken", namesNotTaken.get());
        s.put("accepted", accepted.size());
        s.put("acknowledged", acknowledged.size());
        return s;
    }

    Set<String> acceptedIds() {
        return new HashSet<>(accepted.values());
    }

    Path work() {
        return exchange.work;
    }

    private static Thread started(Thread t) {
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the submitting threads of a gateway that was just killed ({@code running} already false).
     * A request in flight at the kill can stay unanswered until the client's 60 s request timeout
     * (seen: the first kill test idle for 30 s, the old join's limit, in two runs of three), and nothing it
     * could still bring is wanted: what is still running after 2 s is interrupted.
     */
    static void endSubmitters(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (Thread th : threads) {
            th.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        for (Thread th : threads) {
            if (th.isAlive()) {
                System.out.println("a submitter was still in its request 2 s after the kill: interrupted");
                th.interrupt();
                th.join(10_000);
            }
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        submitting.set(false);
        pulling.set(false);
        threads.forEach(CrashRig::join);
        exchange.close();
    }
}
