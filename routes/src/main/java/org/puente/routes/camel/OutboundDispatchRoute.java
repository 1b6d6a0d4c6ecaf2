package org.puente.routes.camel;

import java.util.concurrent.ExecutorService;
import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.exchange.OutboundDispatcher;

/**
 * Outbound dispatch: a wake (a submission committed, or the periodic tick for retries) claims due
 * messages as batches; batches are sealed, posted and recorded in parallel, up to the configured
 * number in flight. A full claim wakes the next cycle at once.
 */
public final class OutboundDispatchRoute extends RouteBuilder {
    private final OutboundDispatcher dispatcher;
    private final ExecutorService sendPool;
    private final long pollMillis;

    public OutboundDispatchRoute(OutboundDispatcher dispatcher, ExecutorService sendPool, long pollMillis) {
        this.dispatcher = dispatcher;
        this.sendPool = sendPool;
        this.pollMillis = pollMillis;
    }

    @Override
    public void configure() {
        from(Endpoints.tick("outbound-tick", pollMillis)).routeId("outbound-tick")
                .to(Endpoints.OUTBOUND_WAKE);

        from(Endpoints.OUTBOUND_WAKE).routeId("outbound-claim").routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(dispatcher, "claim").id("outbound-claim-due")
                .setProperty("GwClaimFull", method(dispatcher, "wasFull"))
                .split(body()).executorService(sendPool).stopOnException()
                    .to(Endpoints.OUTBOUND_SEND)
                .end()
                .filter(exchangeProperty("GwClaimFull"))
                    .to(Endpoints.OUTBOUND_WAKE);

        from(Endpoints.OUTBOUND_SEND).routeId("outbound-send").routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(dispatcher, "seal").id("outbound-seal")
                .bean(dispatcher, "post").id("outbound-post")
                .bean(dispatcher, "record").id("outbound-record");
    }
}
