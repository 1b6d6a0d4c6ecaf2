package org.puente.routes.camel;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.api.OpsHandler;
import org.puente.routes.ops.HealthMonitor;

/** The operations API, and the schedules that measure health and ping the peer. */
public final class OpsApiRoute extends RouteBuilder {
    static final List<String> OPERATIONS = List.of("live", "ready");

    private final ApiEdge edge;
    private final OpsHandler handler;
    private final HealthMonitor health;

    public OpsApiRoute(ApiEdge edge, OpsHandler handler, HealthMonitor health) {
        this.edge = edge;
        this.handler = handler;
        this.health = health;
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
                .bean(health, "refresh").id("health-measure");
        from(Endpoints.tick("health-peer-ping", 15_000)).routeId("health-peer-ping")
                .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(health, "pingPeer").id("health-ping");
    }
}
