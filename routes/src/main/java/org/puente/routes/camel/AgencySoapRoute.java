package org.puente.routes.camel;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.api.AgencySoapHandler;

/** The agency API's SOAP door: authenticate at the edge, then one short route per WSDL operation calling its handler. */
public final class AgencySoapRoute extends RouteBuilder {
    static final List<String> OPERATIONS = List.of("Submit", "GetStatus", "ListInbox", "Acknowledge", "Answer");

    private final SoapEdge edge;
    private final AgencySoapHandler handler;

    public AgencySoapRoute(SoapEdge edge, AgencySoapHandler handler) {
        this.edge = edge;
        this.handler = handler;
    }

    @Override
    public void configure() {
        from(Endpoints.AGENCY_SOAP).routeId("agency-soap").routeConfigurationId(ErrorHandlingConfiguration.SOAP)
                .bean(edge, "admit").id("agency-soap-admit")
                .toD(Endpoints.AGENCY_SOAP_OPERATION + "${exchangeProperty." + GwProperties.OPERATION + "}");
        for (String op : OPERATIONS) {
            String id = "agency-soap-" + RouteNames.kebab(SoapEdge.method(op));
            from(Endpoints.AGENCY_SOAP_OPERATION + op).routeId(id).routeConfigurationId(ErrorHandlingConfiguration.SOAP)
                    .bean(handler, SoapEdge.method(op)).id(id + "-handle");
        }
    }
}
