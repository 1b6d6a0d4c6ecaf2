package org.puente.routes.camel;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.api.AgencyHandler;

/** The agency API: authenticate at the edge, then one short route per operation calling its handler. */
public final class AgencyApiRoute extends RouteBuilder {
    static final List<String> OPERATIONS = List.of("submit", "submitBatch", "status", "inbox", "inboxMessage",
            "inboxPayload", "acknowledge", "answer", "cases", "assistanceCase", "openApi");

    private final ApiEdge edge;
    private final AgencyHandler handler;

    public AgencyApiRoute(ApiEdge edge, AgencyHandler handler) {
        this.edge = edge;
        this.handler = handler;
    }

    @Override
    public void configure() {
        from(Endpoints.AGENCY_API).routeId("agency-api").routeConfigurationId(ErrorHandlingConfiguration.API)
                .bean(edge, "admit").id("agency-admit")
                .toD(Endpoints.AGENCY_OPERATION + "${exchangeProperty." + GwProperties.OPERATION + "}");
        for (String op : OPERATIONS) {
            String id = "agency-" + RouteNames.kebab(op);
            from(Endpoints.AGENCY_OPERATION + op).routeId(id).routeConfigurationId(ErrorHandlingConfiguration.API)
                    .bean(handler, op).id(id + "-handle");
        }
    }
}
