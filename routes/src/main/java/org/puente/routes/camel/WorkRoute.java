package org.puente.routes.camel;

import java.util.concurrent.ExecutorService;
import org.apache.camel.builder.RouteBuilder;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkRunner;

/**
 * Drives one kind of work of the engine's queue: a wake (a commit made work due) or the periodic
 * tick (retries, leases that lapsed) claims due jobs as batches; batches run in parallel up to
 * the kind's concurrency; a full claim wakes the next cycle at once. A slower tick moves jobs
 * whose time ran out to the dead letters, also while nothing is claimed (delivery suspended).
 * The same route for every kind: a new kind of work is a new worker, not a new loop.
 */
public final class WorkRoute extends RouteBuilder {
    private final WorkRunner runner;
    private final WorkKind kind;
    private final ExecutorService pool;
    private final long pollMillis;
    private final long sweepMillis;

    public WorkRoute(WorkRunner runner, WorkKind kind, ExecutorService pool, long pollMillis, long sweepMillis) {
        this.runner = runner;
        this.kind = kind;
        this.pool = pool;
        this.pollMillis = pollMillis;
        this.sweepMillis = sweepMillis;
    }

    @Override
    public void configure() {
        String name = Endpoints.work(kind);
        String wake = Endpoints.workWake(kind);
        from(Endpoints.tick(name + "-tick", pollMillis)).routeId(name + "-tick").setBody(constant(kind)).to(wake);

        from(wake).routeId(name).routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(runner, "claim").id(name + "-claim")
                .setProperty("GwClaimFull", method(runner, "wasFull"))
                .split(body()).executorService(pool).stopOnException()
                    .bean(runner, "run").id(name + "-run")
                .end()
                .filter(exchangeProperty("GwClaimFull"))
                    .setBody(constant(kind))
                    .to(wake);

        from(Endpoints.tick(name + "-expiry", sweepMillis)).routeId(name + "-expiry")
                .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .setBody(constant(kind))
                .bean(runner, "sweepExpired").id(name + "-expiry-sweep");
    }
}
