package org.puente.routes.camel;

import java.util.concurrent.ExecutorService;
import org.apache.camel.builder.RouteBuilder;
import org.puente.engine.work.WorkLine;
import org.puente.engine.work.WorkRunner;

/**
 * Drives one line of work of the engine's queue: a wake (a commit made work due) or the periodic
 * tick (retries, leases that lapsed) claims due jobs as batches; batches run in parallel up to
 * the line's concurrency; a full claim wakes the next cycle at once. Each line runs its own
 * cycles, so a line reserved for a lane never waits for the batches of another line. The
 * shared line's slower tick moves jobs whose time ran out to the dead letters, also while
 * nothing is claimed (delivery suspended). The same route for every kind and lane: a new kind
 * of work is a new worker, not a new loop.
 */
public final class WorkRoute extends RouteBuilder {
    private final WorkRunner runner;
    private final WorkLine line;
    private final ExecutorService pool;
    private final long pollMillis;
    private final long sweepMillis;

    public WorkRoute(WorkRunner runner, WorkLine line, ExecutorService pool, long pollMillis, long sweepMillis) {
        this.runner = runner;
        this.line = line;
        this.pool = pool;
        this.pollMillis = pollMillis;
        this.sweepMillis = sweepMillis;
    }

    @Override
    public void configure() {
        String name = Endpoints.work(line);
        String wake = Endpoints.workWake(line);
        from(Endpoints.tick(name + "-tick", pollMillis)).routeId(name + "-tick").setBody(constant(line)).to(wake);

        from(wake).routeId(name).routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                // this route's own line, whatever a wake carried (one sent before the lines were known)
                .setBody(constant(line))
                .bean(runner, "claim").id(name + "-claim")
                .setProperty("GwClaimFull", method(runner, "wasFull"))
                // synchronous: the cycle's thread waits for every batch, so the line claims again only once
                // its batches ended and never leases more than it can perform at once
                .split(body()).executorService(pool).synchronous().stopOnException()
                    .bean(runner, "run").id(name + "-run")
                .end()
                .filter(exchangeProperty("GwClaimFull"))
                    .setBody(constant(line))
                    .to(wake);

        if (line.reserved().isPresent()) {
            return;
        }
        from(Endpoints.tick(name + "-expiry", sweepMillis)).routeId(name + "-expiry")
                .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .setBody(constant(line.kind()))
                .bean(runner, "sweepExpired").id(name + "-expiry-sweep");
    }
}
