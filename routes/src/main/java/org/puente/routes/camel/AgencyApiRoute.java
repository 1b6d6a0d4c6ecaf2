package org.puente.routes.camel;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.api.AgencyHandler;
import org.puente.routes.api.CooperationHandler;

/** The agency API: authenticate at the edge, then one short route per operation calling its handler. */
public final class AgencyApiRoute extends RouteBuilder {
    static final List<String> OPERATIONS = List.of("submit", "submitBatch", "status", "inbox", "inboxMessage",
            "inboxPayload", "acknowledge", "answer", "openApi");
    /** What messages mean beyond transport: assistance cases, the consent register, cancel and replace. */
    static final List<String> COOPERATION = List.of("cases", "assistanceCase", "checkDisclosure", "consents", "cancel",
            "replace");

    private final ApiEdge edge;
    private final AgencyHandler handler;
    private final CooperationHandler cooperation;

    public AgencyApiRoute(ApiEdge edge, AgencyHandler handler, CooperationHandler cooperation) {
        this.edge = edge;
        this.handler = handler;
        this.cooperation = cooperation;
    }

    @Override
    public void configure() {
        from(Endpoints.AGENCY_API).routeId("agency-api").routeConfigurationId(ErrorHandlingConfiguration.API)
                .bean(edge, "admit").id("agency-admit")
                .toD(Endpoints.AGENCY_OPERATION + "${exchangeProperty." + GwProperties.OPERATION + "}");
        for (String op : OPERATIONS) {
            operation(op, handler);
        }
        for (String op : COOPERATION) {
            operation(op, cooperation);
        }
    }

    private void operation(String op, Object target) {
        String id = "agency-" + RouteNames.kebab(op);
        from(Endpoints.AGENCY_OPERATION + op).routeId(id).routeConfigurationId(ErrorHandlingConfiguration.API)
                .bean(target, op).id(id + "-handle");
    }
}
