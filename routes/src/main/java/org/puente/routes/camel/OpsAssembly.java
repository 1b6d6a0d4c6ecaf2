package org.puente.routes.camel;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.apache.camel.CamelContext;
import org.puente.routes.api.OpsHandler;
import org.puente.routes.ops.DashboardPage;
import org.puente.routes.ops.DashboardState;
import org.puente.routes.ops.GatewayHealth;
import org.puente.routes.ops.LoopbackMetricsServer;
import org.puente.routes.ops.TrafficHistory;

/**
 * The operations side of a gateway on Camel: health checks in Camel's registry, the traffic
 * history, the dashboard, the operations API handler and its routes, and the optional loopback
 * metrics port. Kept apart from {@link GatewayConfiguration} so that the
 * operations wiring reads in one place.
 */
final class OpsAssembly {
    private final CamelContext context;
    private final GatewayAssembly gateway;
    private final PrometheusMeterRegistry registry;
    final GatewayHealth health;
    final TrafficHistory traffic;
    final OpsHandler handler;

    OpsAssembly(CamelContext context, GatewayAssembly gateway, PrometheusMeterRegistry registry) {
        this.context = context;
        this.gateway = gateway;
        this.registry = registry;
        this.health = new GatewayHealth(context, gateway.health);
        this.traffic = new TrafficHistory(registry, Clock.systemUTC());
        DashboardState state = new DashboardState(context, gateway.config, health, gateway.health, traffic,
                gateway.metrics.journal(), gateway.gateway.operatorActions(), gateway.gateway.deadLetters(),
                gateway.gateway.security()::watchedCertificates, registry);
        this.handler = new OpsHandler(health, registry::scrape, state, DashboardPage.load(),
                gateway.gateway.operatorActions(), gateway.gateway.deadLetters(), gateway.gateway.keyReloads());
    }

    /** Registers the services and adds the routes (call from the configuration, before start). */
    void install(ApiEdge edge) throws Exception {
        context.addService(health, true, true);
        // Decide readiness once as soon as every route runs, so the agency API opens at start-up
        // instead of up to one health tick later (tests and clients met 503 not_ready there).
        context.addStartupListener(new org.apache.camel.ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // routes are not running yet here
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                gateway.health.refresh();
                health.decide();
            }
        });
        int loopback = gateway.config.listeners().loopbackMetricsPort();
        if (loopback > 0) {
            context.addService(new LoopbackMetricsServer(loopback, registry::scrape, health), true, true);
        }
        context.addRoutes(new OpsApiRoute(edge, handler, gateway.health, health, traffic));
    }

    /** The operations listener's request parameters (path and query). */
    static List<String> parameters() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of("id", "after", "limit"),
                org.puente.routes.api.AuditApi.PARAMS.stream()).distinct().toList();
    }
}
