package org.puente.routes.camel;

import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.exchange.DeadLetters;

/**
 * The expiry sweep: dead-letters pending messages whose time-to-live ran out, on its own tick, so
 * that messages expire on time while delivery is suspended (when the dispatcher claims nothing).
 */
public final class DeadLetterRoute extends RouteBuilder {
    /** How often the outbox is swept for expired messages. */
    static final long SWEEP_MILLIS = 5000;

    private final DeadLetters deadLetters;
    private final long periodMillis;

    public DeadLetterRoute(DeadLetters deadLetters, long periodMillis) {
        this.deadLetters = deadLetters;
        this.periodMillis = periodMillis;
    }

    @Override
    public void configure() {
        from(Endpoints.tick("outbound-expiry", periodMillis)).routeId("outbound-expiry")
                .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(deadLetters, "sweep").id("outbound-expiry-sweep");
    }
}
