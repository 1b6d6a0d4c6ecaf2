package org.puente.routes.camel;

import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.exchange.NoticeService;

/** Delivery notices to the peer: on acknowledgement, and periodically for retries. */
public final class NoticeRoute extends RouteBuilder {
    private final NoticeService notices;
    private final long pollMillis;

    public NoticeRoute(NoticeService notices, long pollMillis) {
        this.notices = notices;
        this.pollMillis = pollMillis;
    }

    @Override
    public void configure() {
        from(Endpoints.tick("notice-tick", pollMillis)).routeId("notice-tick").to(Endpoints.NOTICE_WAKE);
        from(Endpoints.NOTICE_WAKE).routeId("notice-send").routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(notices, "sendDue").id("notice-send-due")
                .filter(body().isGreaterThanOrEqualTo(200))
                    .to(Endpoints.NOTICE_WAKE);
    }
}
