package org.puente.routes.camel;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.api.OpsHandler;
import org.puente.routes.ops.GatewayHealth;
import org.puente.routes.ops.HealthMonitor;
import org.puente.routes.ops.TrafficHistory;

/**
 * The operations API, and the schedules behind it: health measured every second and evaluated
 * by Camel's health checks (which open or close the agency API), the dashboard's traffic history
 * sampled with it, and a signed ping to the peer every 15 seconds.
 */
public final class OpsApiRoute extends RouteBuilder {
    static final List<String> OPERATIONS = List.of("live", "ready", "metrics", "dashboard", "dashboardState", "delivery",
            "suspend", "resume", "deadLetters", "redrive", "redriveAll", "reloadCrls", "reloadKeys");

    private final ApiEdge edge;
    private final OpsHandler handler;
    private final HealthMonitor health;
    private final GatewayHealth checks;
    private final TrafficHistory traffic;

    public OpsApiRoute(ApiEdge edge, OpsHandler handler, HealthMonitor health, GatewayHealth checks,
                       TrafficHistory traffic) {
        this.edge = edge;
        this.handler = handler;
        this.health = health;
        this.checks = checks;
        this.traffic = traffic;
    }

    @Override
    public void configure() {
        from(Endpoints.OPS_API).routeId("ops-api").routeConfigurationId(ErrorHandlingConfiguration.API)
                .bean(edge, "admit").id("ops-admit")
                .toD(Endpoints.OPS_OPERATION + "${exchangeProperty." + GwProperties.OPERATION + "}");
        for (String op : OPERATIONS) {
            String id = "ops-" + RouteNames.kebab(op);
            from(Endpoints.OPS_OPERATION + op).routeId(id).routeConfigurationId(ErrorHandlingConfiguration.API)
                    .bean(handler, op).id(id + "-handle");
        }
        from(Endpoints.tick("health-refresh", 1000)).routeId("health-refresh")
                .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(health, "refresh").id("health-measure")
                .bean(checks, "decide").id("health-decide")
                .bean(traffic, "sample").id("health-traffic");
        // The first ping soon after start, so the peer link's state is known within seconds.
        from(Endpoints.tick("health-peer-ping", 15_000, 2_000)).routeId("health-peer-ping")
                .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(health, "pingPeer").id("health-ping");
    }
}
