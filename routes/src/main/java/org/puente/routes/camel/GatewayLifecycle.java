package org.puente.routes.camel;

import org.apache.camel.support.service.ServiceSupport;
import org.puente.routes.store.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up and shut-down of the gateway's own resources around the Camel routes: on start the
 * stale dispatch reservations of a previous run are released (embedded database: this process is
 * the only dispatcher) and health is measured once; on stop the store writer drains and the
 * database closes after the routes have stopped.
 */
final class GatewayLifecycle extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayLifecycle.class);
    private final GatewayAssembly assembly;

    GatewayLifecycle(GatewayAssembly assembly) {
        this.assembly = assembly;
    }

    @Override
    protected void doStart() {
        if (assembly.database.dialect() == Dialect.H2) {
            assembly.dispatcher.releaseStaleLeases();
        }
        assembly.health.refresh();
        LOG.info("gateway {} ({}) ready: agency port {}, peer port {}, operations port {}, peer {}",
                assembly.config.gatewayName(), assembly.config.country(), assembly.config.listeners().agencyPort(),
                assembly.config.listeners().peerPort(), assembly.config.listeners().opsPort(), assembly.config.peer().url());
    }

    @Override
    protected void doStop() {
        assembly.close();
    }
}
