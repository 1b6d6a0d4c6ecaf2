package org.puente.routes.ops;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The gateway's health on Camel's health-check registry: each {@link HealthMonitor} check is a
 * Camel {@link HealthCheck} (group {@code puente}) reading the monitor's last measurement, next
 * to Camel's own context, route and consumer checks. Readiness and liveness — of the JSON
 * endpoints and of the agency API's admission — are Camel's evaluation of that one registry, so
 * they cannot disagree.
 *
 * <ul>
 * <li>{@code database}: liveness and readiness (without its database the process is useless).</li>
 * <li>{@code instance}, {@code outbox}, {@code certificates}, {@code disk}: readiness.</li>
 * <li>{@code peer}: informative only — with the peer down, submissions still queue.</li>
 * </ul>
 */
public final class GatewayHealth extends ServiceSupport implements HealthReports {
    static final String GROUP = "puente";

    private final CamelContext context;
    private final HealthMonitor monitor;
    private final Clock clock = Clock.systemUTC();

    public GatewayHealth(CamelContext context, HealthMonitor monitor) {
        this.context = context;
        this.monitor = monitor;
    }

    @Override
    protected void doStart() {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        for (String name : HealthMonitor.CHECKS) {
            MonitorCheck check = new MonitorCheck(name, monitor);
            check.setCamelContext(context);
            registry.register(check);
        }
    }

    @Override
    public HealthReport liveness() {
        return report(invoke(HealthCheck.Kind.LIVENESS, check -> !check.isLiveness()), false);
    }

    /** Evaluates readiness and opens or closes the agency API to match what it answers. */
    @Override
    public HealthReport readiness() {
        HealthReport r = report(invoke(HealthCheck.Kind.READINESS, check -> !check.isReadiness()), true);
        monitor.admit(r.up() ? null : r.checks().values().stream().filter(c -> !c.up())
                .map(c -> c.name() + ": " + c.detail()).findFirst().orElse("not ready"));
        return r;
    }

    /** Every check, counted or not. */
    public HealthReport all() {
        return report(invoke(HealthCheck.Kind.ALL, check -> false), true);
    }

    /** Full exposure: Camel's default level would answer only the first check when all are up. */
    private Collection<HealthCheck.Result> invoke(HealthCheck.Kind kind, Predicate<HealthCheck> exclude) {
        return HealthCheckHelper.invoke(context, check -> Map.of(HealthCheck.CHECK_KIND, kind), exclude, "full");
    }

    /**
     * Evaluates readiness on the health schedule (every second), which opens or closes the
     * agency API; a readiness call of the API or the loopback port does the same, so what they
     * answer is always what agencies get.
     */
    public void decide() {
        readiness();
    }

    /**
     * @param strict readiness counts only UP; liveness (Camel's rule) fails only on DOWN, so a
     *               check whose state is not known yet does not get the process restarted
     */
    private HealthReport report(Collection<HealthCheck.Result> results, boolean strict) {
        Map<String, HealthMonitor.Check> checks = new LinkedHashMap<>();
        List<String> routesDown = new ArrayList<>();
        int routes = 0;
        boolean up = true;
        for (HealthCheck.Result r : results) {
            boolean ok = r.getState() == HealthCheck.State.UP;
            up &= strict ? ok : r.getState() != HealthCheck.State.DOWN;
            String id = r.getCheck().getId();
            if (GROUP.equals(r.getCheck().getGroup())) {
                checks.put(id, new HealthMonitor.Check(id, ok, r.getMessage().orElse("")));
            } else if (id.startsWith("route:") || id.startsWith("consumer:")) {
                routes++;
                if (!ok) {
                    routesDown.add(id + " " + r.getState());
                }
            } else {
                checks.put("camel-" + id, new HealthMonitor.Check("camel-" + id, ok, r.getMessage().orElse(r.getState().name())));
            }
        }
        if (routes > 0) {
            checks.put("camel-routes", new HealthMonitor.Check("camel-routes", routesDown.isEmpty(), routesDown.isEmpty()
                    ? routes + " route and consumer checks up" : String.join(", ", routesDown)));
        }
        if (!checks.containsKey("peer")) {
            // Not a readiness or liveness check, but operators always want to see the link.
            checks.put("peer", monitor.snapshot().check("peer"));
        }
        return new HealthReport(up, clock.instant(), checks);
    }

    /** One of the monitor's checks as a Camel health check. */
    private static final class MonitorCheck extends AbstractHealthCheck {
        private final String name;
        private final HealthMonitor monitor;

        MonitorCheck(String name, HealthMonitor monitor) {
            super(GROUP, name);
            this.name = name;
            this.monitor = monitor;
        }

        @Override
        public boolean isLiveness() {
            return "database".equals(name);
        }

        @Override
        public boolean isReadiness() {
            return !"peer".equals(name);
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            HealthMonitor.Check c = monitor.snapshot().check(name);
            builder.message(c.detail());
            if (c.up()) {
                builder.up();
            } else {
                builder.down();
            }
        }
    }
}
