package org.puente.routes.camel;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.api.PeerHandler;

/** The peer API: only the peer gateway's certificate passes the edge; one route per operation. */
public final class PeerApiRoute extends RouteBuilder {
    static final List<String> OPERATIONS = List.of("envelopes", "notices", "withdrawals", "ping", "reconciliation", "keys",
            "checkpoints");

    private final ApiEdge edge;
    private final PeerHandler handler;

    public PeerApiRoute(ApiEdge edge, PeerHandler handler) {
        this.edge = edge;
        this.handler = handler;
    }

    @Override
    public void configure() {
        from(Endpoints.PEER_API).routeId("peer-api").routeConfigurationId(ErrorHandlingConfiguration.API)
                .bean(edge, "admit").id("peer-admit")
                .toD(Endpoints.PEER_OPERATION + "${exchangeProperty." + GwProperties.OPERATION + "}");
        for (String op : OPERATIONS) {
            String id = "peer-" + op;
            from(Endpoints.PEER_OPERATION + op).routeId(id).routeConfigurationId(ErrorHandlingConfiguration.API)
                    .bean(handler, op).id(id + "-handle");
        }
    }
}
