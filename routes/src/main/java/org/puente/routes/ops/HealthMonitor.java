package org.puente.routes.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import org.puente.engine.admission.AdmissionControl;
import org.puente.engine.audit.AuditServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.puente.model.error.PuenteException;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.ops.StateReadings;
import org.puente.engine.work.Lane;
import org.puente.engine.keys.KeyAnnouncements;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.peer.PeerCall;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.security.GatewaySecurity;
import org.puente.engine.store.InstanceName;

/**
 * Measures the gateway's health on a schedule — database, peer link (a signed ping, not a TCP
 * connect), outbox backlog, certificates, disk space — and publishes the figures as gauges. The
 * checks are registered as Camel health checks ({@link GatewayHealth}), which decide readiness:
 * while the gateway cannot accept work, agencies get 503 with the reason.
 */
public final class HealthMonitor {
    /** Below this much free space in the data directory the gateway stops accepting work. */
    static final long MIN_FREE_BYTES = 256L * 1024 * 1024;

    /** One check's state. */
    public record Check(String name, boolean up, String detail) {
    }

    /** The names of the checks, in the order they are reported. */
    public static final List<String> CHECKS = List.of("database", "instance", "outbox", "certificates", "disk", "peer");

    /** The last measurement of everything: the checks, the database's figures, the peer's last answer. */
    public record Snapshot(Instant at, Map<String, Check> checks, StateReadings.Reading state, Instant peerLastOk) {
        public long outboxDepth() {
            return state.outboxDepth();
        }

        public Instant outboxOldest() {
            return state.outboxOldest();
        }

        public long mailboxDepth() {
            return state.mailboxDepth();
        }

        public Instant mailboxOldest() {
            return state.mailboxOldest();
        }

        public long deadLetters() {
            return state.deadLetters();
        }

        public boolean suspended() {
            return state.suspended();
        }

        /** Whether this gateway's own checks allow it to take work (a down peer does not stop it: work queues). */
        public boolean ready() {
            return checks.values().stream().filter(c -> !"peer".equals(c.name())).allMatch(Check::up);
        }

        public Check check(String name) {
            Check c = checks.get(name);
            return c != null ? c : new Check(name, false, "not measured yet");
        }
    }

    private final GatewayConfig config;
    private final StateReadings readings;
    private final AdmissionControl admission;
    private final PeerEnvelopes envelopes;
    private final PeerClient peer;
    private final GatewaySecurity security;
    private final Clock clock;
    private final AtomicReference<Snapshot> last = new AtomicReference<>();
    private volatile Instant peerLastOk;
    private volatile Check peerCheck = new Check("peer", false, "not yet pinged");

    public HealthMonitor(GatewayConfig config, StateReadings readings, AdmissionControl admission, PeerEnvelopes envelopes,
                         PeerClient peer, GatewaySecurity security, GatewayMetrics metrics, Clock clock) {
        this.config = config;
        this.readings = readings;
        this.admission = admission;
        this.envelopes = envelopes;
        this.peer = peer;
        this.security = security;
        this.clock = clock;
        register(metrics);
    }

    private void register(GatewayMetrics metrics) {
        Tags c = Tags.of("country", config.country().name());
        Tags out = c.and("direction", "outbound");
        Tags in = c.and("direction", "inbound");
        MeterRegistry r = metrics.registry();
        gauge(r, "gateway.outbox.depth", null, out, h -> snap(h).outboxDepth());
        gauge(r, "gateway.outbox.oldest.age", "seconds", out, h -> ageSeconds(snap(h).outboxOldest()));
        gauge(r, "gateway.mailbox.depth", null, in, h -> snap(h).mailboxDepth());
        gauge(r, "gateway.mailbox.oldest.age", "seconds", in, h -> ageSeconds(snap(h).mailboxOldest()));
        gauge(r, "gateway.deadletters.depth", null, out, h -> snap(h).deadLetters());
        for (Lane lane : Lane.values()) {
            Tags l = out.and("lane", lane.name().toLowerCase(java.util.Locale.ROOT));
            gauge(r, "gateway.outbox.lane.depth", null, l, h -> snap(h).state().lane(lane).waiting());
            gauge(r, "gateway.outbox.lane.oldest.age", "seconds", l,
                    h -> ageSeconds(snap(h).state().lane(lane).oldestWaiting()));
        }
        for (String role : List.of("REQUESTED", "REQUESTING")) {
            Tags k = c.and("role", role.toLowerCase(java.util.Locale.ROOT));
            gauge(r, "gateway.cases.open", null, k, h -> snap(h).state().cases().of(role).open());
            gauge(r, "gateway.cases.due.soon", null, k, h -> snap(h).state().cases().of(role).dueSoon());
            gauge(r, "gateway.cases.overdue", null, k, h -> snap(h).state().cases().of(role).overdue());
        }
        gauge(r, "gateway.peer.up", null, c, h -> h.peerCheck.up() ? 1 : 0);
        gauge(r, "gateway.ready", null, c, h -> h.admission.isReady() ? 1 : 0);
        gauge(r, "gateway.processing.bytes", "bytes", c, h -> h.admission.bytesInProcess());
        gauge(r, "gateway.processing.budget", "bytes", c, h -> h.admission.processingBytes());
        for (String listener : List.of("agency", "peer", "ops")) {
            gauge(r, "gateway.request.bodies", "bytes", c.and("listener", listener), h -> h.admission.bodies(listener).used());
        }
        gauge(r, "gateway.dispatch.suspended", null, c, h -> snap(h).suspended() ? 1 : 0);
        for (String role : security.watchedCertificates().keySet()) {
            // Seconds, Prometheus's base unit (promtool flags "days"); the dashboard shows days. Looked up
            // at each scrape: a key reload or the peer's announcement replaces the certificate of a role.
            gauge(r, "gateway.certificate.expiry", "seconds", c.and("role", role),
                    h -> Duration.between(h.clock.instant(), h.security.watchedCertificates().get(role).getNotAfter()
                            .toInstant()).toSeconds());
        }
        // When the first CRL in force goes stale every TLS client is refused: operators reload fresh ones before.
        gauge(r, "gateway.crl.next.update", "seconds", c,
                h -> Duration.between(h.clock.instant(), h.security.crlNextUpdate()).toSeconds());
        gauge(r, "gateway.crl.reload.failed", null, c,
                h -> h.security.lastReload().map(o -> o.failed() ? 1 : 0).orElse(0));
        gauge(r, "gateway.peer.key.usable", null, c, h -> h.security.peerRecipient().refusal().isPresent() ? 0 : 1);
    }

    /** Watches our key announcement: {@code gateway.peer.key.unconfirmed} is 1 until the peer confirms our encryption certificate. */
    public void watch(KeyAnnouncements announcements, GatewayMetrics metrics) {
        Gauge.builder("gateway.peer.key.unconfirmed", announcements, k -> k.status().confirmed() ? 0 : 1)
                .description(MeterHelp.of("gateway.peer.key.unconfirmed"))
                .tags(Tags.of("country", config.country().name())).register(metrics.registry());
    }

    /**
     * Watches cross-witnessing: refusals on either side ({@code gateway.audit.witness.refusals},
     * side {@code witness} — we refused the peer's checkpoint — or {@code origin} — the peer
     * refused ours) and how long our oldest uncosigned checkpoint has waited.
     */
    public void watch(AuditServices audit, GatewayMetrics metrics) {
        Tags c = Tags.of("country", config.country().name());
        String refusals = "gateway.audit.witness.refusals";
        FunctionCounter.builder(refusals, audit.witness(), w -> w.refusals()).description(MeterHelp.of(refusals))
                .tags(c.and("side", "witness")).register(metrics.registry());
        FunctionCounter.builder(refusals, audit.witnessing(), w -> w.refusals()).description(MeterHelp.of(refusals))
                .tags(c.and("side", "origin")).register(metrics.registry());
        Gauge.builder("gateway.audit.timestamp.backlog", audit.stamps(), s -> s.backlog())
                .description(MeterHelp.of("gateway.audit.timestamp.backlog")).tags(c).register(metrics.registry());
        Gauge.builder("gateway.audit.cosignature.wait", audit.witnessing(), w -> w.waiting().toSeconds())
                .description(MeterHelp.of("gateway.audit.cosignature.wait")).baseUnit("seconds").tags(c)
                .register(metrics.registry());
    }

    private void gauge(MeterRegistry r, String name, String unit, Tags tags, ToDoubleFunction<HealthMonitor> value) {
        Gauge.builder(name, this, value).description(MeterHelp.of(name)).baseUnit(unit).tags(tags).register(r);
    }

    private static Snapshot snap(HealthMonitor h) {
        Snapshot s = h.last.get();
        return s != null ? s : new Snapshot(Instant.EPOCH, Map.of(), StateReadings.Reading.NONE, null);
    }

    private double ageSeconds(Instant oldest) {
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }

    /** Measures the local state (database, backlog, certificates, disk). Called every second. */
    public Snapshot refresh() {
        Map<String, Check> checks = new LinkedHashMap<>();
        StateReadings.Reading now = StateReadings.Reading.NONE;
        try {
            now = readings.read();
            admission.backlogMeasured(now.outboxDepth());
            checks.put("database", new Check("database", true, readings.databaseDescription()));
        } catch (PuenteException e) {
            checks.put("database", new Check("database", false, e.errorCode().code()));
        }
        checks.put("instance", instance());
        long max = config.limits().maxOutboxBacklog();
        long outboxDepth = now.outboxDepth();
        checks.put("outbox", new Check("outbox", outboxDepth < max, outboxDepth + " undelivered of at most " + max));
        checks.put("certificates", certificates());
        checks.put("disk", disk());
        checks.put("peer", peerCheck);
        Snapshot s = new Snapshot(clock.instant(), checks, now, peerLastOk);
        last.set(s);
        return s;
    }

    /**
     * Opens or closes the agency API after the health checks were evaluated: {@code null} means
     * ready, anything else is the reason agencies are given with their 503.
     */
    public void admit(String notReadyReason) {
        if (notReadyReason == null) {
            admission.ready();
        } else {
            admission.notReady(notReadyReason);
        }
    }

    /** A signed ping over the peer link: proves TLS, the peer's signature and ours all work. */
    public Check pingPeer() {
        String nonce = UUID.randomUUID().toString();
        Check check;
        try {
            PeerCall<PeerProtocol.Pong> call = peer.ping(new PeerProtocol.Ping(envelopes.signPing(nonce)));
            if (call.kind() == PeerCall.Kind.ANSWERED) {
                envelopes.verifyPong(call.answer().pong(), nonce);
                peerLastOk = clock.instant();
                check = new Check("peer", true, "signed ping answered by " + envelopes.peerName());
            } else {
                check = new Check("peer", false, call.error().code() + " " + call.detail());
            }
        } catch (PuenteException e) {
            check = new Check("peer", false, e.errorCode().code());
        }
        peerCheck = check;
        return check;
    }

    /** A named instance on a shared database holds its name (docs/operations.md, {@code puente.db.instance-id}). */
    private Check instance() {
        String id = config.database().instanceId().orElse("");
        InstanceName.State state;
        try {
            state = readings.instanceNameHeld();
        } catch (RuntimeException e) {
            state = InstanceName.State.UNKNOWN;
        }
        return switch (state) {
            case NONE -> new Check("instance", true, "unnamed");
            case HELD -> new Check("instance", true, "holds its name " + id + " on the database");
            case HELD_BY_ANOTHER -> new Check("instance", false, "its name " + id
                    + " is held by another session on the database since its own session was lost");
            case UNKNOWN -> new Check("instance", false, "its name " + id
                    + ": its session was lost and the database did not answer the attempt to take it again");
        };
    }

    private Check certificates() {
        Instant now = clock.instant();
        for (Map.Entry<String, X509Certificate> e : security.watchedCertificates().entrySet()) {
            Instant notAfter = e.getValue().getNotAfter().toInstant();
            Instant notBefore = e.getValue().getNotBefore().toInstant();
            if (now.isAfter(notAfter) || now.isBefore(notBefore)) {
                return new Check("certificates", false, e.getKey() + " is not valid now (" + notBefore + " to " + notAfter + ")");
            }
        }
        return new Check("certificates", true, "keystore loaded, every certificate valid");
    }

    private Check disk() {
        try {
            Files.createDirectories(config.dataDir());
            FileStore store = Files.getFileStore(config.dataDir());
            long free = store.getUsableSpace();
            return new Check("disk", free >= MIN_FREE_BYTES, (free / (1024 * 1024)) + " MiB free in " + config.dataDir());
        } catch (IOException e) {
            return new Check("disk", false, "data directory unusable: " + e.getClass().getSimpleName());
        }
    }

    /** The last snapshot (measuring now if none yet). */
    public Snapshot snapshot() {
        Snapshot s = last.get();
        return s != null ? s : refresh();
    }

    /** Liveness: the process works (its database answers). */
    public boolean live() {
        return readings.databaseReachable();
    }
}
