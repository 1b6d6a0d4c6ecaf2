package org.puente.routes.camel;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up and shut-down of the gateway's own resources around the Camel routes: on start health
 * is measured once; on stop the store writer drains and the database closes after the routes have
 * stopped.
 */
final class GatewayLifecycle extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayLifecycle.class);
    private final GatewayAssembly assembly;

    GatewayLifecycle(GatewayAssembly assembly) {
        this.assembly = assembly;
    }

    @Override
    protected void doStart() {
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
