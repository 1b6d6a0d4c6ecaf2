package org.puente.routes.camel;

import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.exchange.AgencyPushService;

/** Push delivery to agencies with an endpoint: when messages are stored, and periodically for retries. */
public final class AgencyPushRoute extends RouteBuilder {
    private final AgencyPushService push;
    private final long pollMillis;

    public AgencyPushRoute(AgencyPushService push, long pollMillis) {
        this.push = push;
        this.pollMillis = pollMillis;
    }

    @Override
    public void configure() {
        from(Endpoints.tick("push-tick", pollMillis)).routeId("push-tick").to(Endpoints.PUSH_WAKE);
        from(Endpoints.PUSH_WAKE).routeId("agency-push").routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(push, "pushDue").id("agency-push-due")
                .filter(body().isGreaterThanOrEqualTo(50))
                    .to(Endpoints.PUSH_WAKE);
    }
}
