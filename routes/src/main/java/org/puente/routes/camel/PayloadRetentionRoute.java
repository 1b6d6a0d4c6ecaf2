package org.puente.routes.camel;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.puente.engine.ops.PayloadRetention;
import org.puente.routes.ops.GatewayMetrics;

/**
 * The payload sweep's schedule: payloads left in clear are encrypted and payloads of finished
 * messages purged once {@code puente.data.payload-retention} has passed ({@link PayloadRetention}),
 * then counted ({@code gateway.payloads.purged}). Any instance may run it: the sweep's SQL takes
 * only rows still due, so two instances neither purge nor count a row twice.
 */
public final class PayloadRetentionRoute extends RouteBuilder {
    static final String ROUTE_ID = "payload-retention";
    /** The first sweep soon after start (rows from before encryption are encrypted then). */
    static final Duration FIRST_SWEEP = Duration.ofSeconds(10);

    private final PayloadRetention retention;
    private final GatewayMetrics metrics;

    public PayloadRetentionRoute(PayloadRetention retention, GatewayMetrics metrics) {
        this.retention = retention;
        this.metrics = metrics;
    }

    /** Hourly, or more often for a short retention: a twenty-fourth of it, at least every ten seconds. */
    static Duration period(Duration retention) {
        Duration share = retention.dividedBy(24);
        Duration shortest = Duration.ofSeconds(10);
        Duration hour = Duration.ofHours(1);
        return share.compareTo(shortest) < 0 ? shortest : share.compareTo(hour) > 0 ? hour : share;
    }

    @Override
    public void configure() {
        from(Endpoints.tick(ROUTE_ID, period(retention.retention()).toMillis(), FIRST_SWEEP.toMillis()))
                .routeId(ROUTE_ID).routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(retention, "sweep").id(ROUTE_ID + "-sweep")
                .bean(metrics, "payloadsSwept").id(ROUTE_ID + "-count");
    }
}
