package org.puente.bench;

import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.camel.ApiEdge;
import org.puente.routes.camel.Endpoints;
import org.puente.routes.camel.ErrorHandlingConfiguration;
import org.puente.routes.camel.GwProperties;

/** Routes of the plain relay baseline: the gateway's listeners, one bean call per operation. */
public final class PlainRelayRoute extends RouteBuilder {
    private final ApiEdge agencyEdge;
    private final ApiEdge peerEdge;
    private final PlainRelay relay;

    public PlainRelayRoute(ApiEdge agencyEdge, ApiEdge peerEdge, PlainRelay relay) {
        this.agencyEdge = agencyEdge;
        this.peerEdge = peerEdge;
        this.relay = relay;
    }

    @Override
    public void configure() {
        from(Endpoints.AGENCY_API).routeId("relay-agency").routeConfigurationId(ErrorHandlingConfiguration.API)
                .bean(agencyEdge, "admit")
                .toD("direct:relay-${exchangeProperty." + GwProperties.OPERATION + "}");
        from("direct:relay-submit").routeId("relay-submit").bean(relay, "submit");
        from("direct:relay-inbox").routeId("relay-inbox").bean(relay, "inbox");
        from("direct:relay-inboxPayload").routeId("relay-inbox-payload").bean(relay, "payload");
        from("direct:relay-acknowledge").routeId("relay-acknowledge").bean(relay, "acknowledge");
        from(Endpoints.OPS_API).routeId("relay-ops").routeConfigurationId(ErrorHandlingConfiguration.API)
                .bean(agencyEdge, "admit")
                .bean(relay, "ready");
        from(Endpoints.PEER_API).routeId("relay-peer").routeConfigurationId(ErrorHandlingConfiguration.API)
                .bean(peerEdge, "admit")
                .bean(relay, "receive");
    }
}
