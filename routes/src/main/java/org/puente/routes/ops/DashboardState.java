package org.puente.routes.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.ops.DeadLetters;
import org.puente.engine.ops.OperatorActions;
import org.puente.engine.security.CertificateNames;

/**
 * Everything the operators' dashboard shows, as one JSON document (refreshed by the page every
 * few seconds): peer link, readiness and every health check, delivery switch, queues, totals and
 * the last hour per minute, recent refusals with their codes, certificate expiry, Camel routes and
 * the first dead letters. Metadata only: no payload, no personal data.
 */
public final class DashboardState implements Supplier<Map<String, Object>> {
    private static final int DEAD_LETTERS_SHOWN = 20;

    private final CamelContext context;
    private final GatewayConfig config;
    private final GatewayHealth health;
    private final HealthMonitor monitor;
    private final TrafficHistory traffic;
    private final ExchangeJournal journal;
    private final OperatorActions actions;
    private final DeadLetters deadLetters;
    private final java.util.function.Supplier<Map<String, X509Certificate>> certificates;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();

    public DashboardState(CamelContext context, GatewayConfig config, GatewayHealth health, HealthMonitor monitor,
                          TrafficHistory traffic, ExchangeJournal journal, OperatorActions actions,
                          DeadLetters deadLetters, java.util.function.Supplier<Map<String, X509Certificate>> certificates,
                          MeterRegistry registry) {
        this.context = context;
        this.config = config;
        this.health = health;
        this.monitor = monitor;
        this.traffic = traffic;
        this.journal = journal;
        this.actions = actions;
        this.deadLetters = deadLetters;
        this.certificates = certificates;
        this.registry = registry;
    }

    @Override
    public Map<String, Object> get() {
        Instant now = clock.instant();
        HealthMonitor.Snapshot s = monitor.snapshot();
        HealthReports.HealthReport ready = health.readiness();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("gateway", config.gatewayName());
        body.put("country", config.country().name());
        body.put("peerGateway", config.peer().gatewayName());
        body.put("at", now.toString());
        body.put("ready", ready.up());
        HealthMonitor.Check peer = s.check("peer");
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("up", peer.up());
        link.put("detail", peer.detail());
        link.put("lastOk", s.peerLastOk() == null ? null : s.peerLastOk().toString());
        body.put("peer", link);
        OperatorActions.DeliveryState delivery = actions.state();
        Map<String, Object> switchState = new LinkedHashMap<>();
        switchState.put("suspended", delivery.suspended());
        switchState.put("reason", delivery.reason());
        body.put("delivery", switchState);
        List<Map<String, Object>> checks = new ArrayList<>();
        ready.checks().values().forEach(c -> checks.add(Map.of("name", c.name(), "up", c.up(), "detail", c.detail())));
        body.put("checks", checks);
        Map<String, Object> queues = new LinkedHashMap<>();
        queues.put("outboxDepth", s.outboxDepth());
        queues.put("outboxOldestAgeSeconds", age(s.outboxOldest(), now));
        queues.put("mailboxDepth", s.mailboxDepth());
        queues.put("mailboxOldestAgeSeconds", age(s.mailboxOldest(), now));
        queues.put("deadLetters", s.deadLetters());
        Map<String, Object> lanes = new LinkedHashMap<>();
        for (org.puente.engine.work.Lane lane : org.puente.engine.work.Lane.values()) {
            org.puente.engine.work.WorkQueue.LaneDepth d = s.state().lane(lane);
            lanes.put(lane.name().toLowerCase(java.util.Locale.ROOT),
                    Map.of("waiting", d.waiting(), "oldestAgeSeconds", age(d.oldestWaiting(), now)));
        }
        queues.put("peerLanes", lanes);
        body.put("queues", queues);
        Map<String, Object> cases = new LinkedHashMap<>();
        for (String role : List.of("REQUESTED", "REQUESTING")) {
            org.puente.engine.cases.CaseCounts.Count k = s.state().cases().of(role);
            cases.put(role.toLowerCase(java.util.Locale.ROOT),
                    Map.of("open", k.open(), "dueSoon", k.dueSoon(), "overdue", k.overdue()));
        }
        body.put("cases", cases);
        body.put("totals", traffic.totals());
        body.put("lastHour", traffic.lastHour());
        body.put("recentRefusals", journal.recentRefusals().stream().map(r -> Map.of("at", r.at().toString(),
                "direction", r.direction(), "messageType", r.messageType(), "code", r.code())).toList());
        body.put("certificates", certificates(now));
        body.put("routes", routes());
        body.put("deadLetterList", deadLetterList());
        return body;
    }

    private static long age(Instant oldest, Instant now) {
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toSeconds());
    }

    private List<Map<String, Object>> certificates(Instant now) {
        List<Map<String, Object>> out = new ArrayList<>();
        // asked each time: a key reload or a peer announcement changes them
        certificates.get().forEach((role, cert) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("role", role);
            c.put("subject", CertificateNames.commonName(cert));
            c.put("notAfter", cert.getNotAfter().toInstant().toString());
            c.put("daysLeft", Duration.between(now, cert.getNotAfter().toInstant()).toDays());
            out.add(c);
        });
        return out;
    }

    private List<Map<String, Object>> routes() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Route r : context.getRoutes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.getRouteId());
            m.put("status", String.valueOf(context.getRouteController().getRouteStatus(r.getRouteId())));
            m.put("exchanges", count("camel.exchanges.total", r.getRouteId()));
            m.put("failed", count("camel.exchanges.failed", r.getRouteId()));
            out.add(m);
        }
        out.sort((a, b) -> String.valueOf(a.get("id")).compareTo(String.valueOf(b.get("id"))));
        return out;
    }

    private long count(String meter, String routeId) {
        return Math.round(registry.find(meter).tag("route_id", routeId).counters().stream().mapToDouble(Counter::count).sum());
    }

    private List<OpsJson.DeadLetterView> deadLetterList() {
        List<OpsJson.DeadLetterView> out = new ArrayList<>();
        for (DeadLetters.DeadLetter d : deadLetters.list(DEAD_LETTERS_SHOWN)) {
            out.add(OpsJson.deadLetter(d));
        }
        return out;
    }
}
