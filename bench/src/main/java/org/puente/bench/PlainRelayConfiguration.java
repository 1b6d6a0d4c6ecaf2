package org.puente.bench;

import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.routes.camel.ApiEdge;
import org.puente.routes.camel.ApiErrorResponder;
import org.puente.routes.camel.BackgroundFailures;
import org.puente.routes.camel.CxfListeners;
import org.puente.routes.camel.ListenerGuard;
import org.puente.routes.camel.ErrorHandlingConfiguration;
import org.puente.routes.camel.GatewayConfiguration;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.config.GatewayConfigLoader;
import org.puente.engine.security.ClientDirectory;
import org.puente.engine.security.ClientPrincipal;
import org.puente.engine.security.GatewaySecurity;

/** Camel wiring of the plain relay baseline: the gateway's TLS listeners and edge, the relay bean. */
public final class PlainRelayConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) throws Exception {
        GatewayConfig config = new GatewayConfigLoader(MessageCatalogue.standard())
                .load(context.getPropertiesComponent()::resolveProperty);
        GatewaySecurity security = new GatewaySecurity(config);
        CxfListeners listeners = new CxfListeners();
        String host = config.listeners().host();
        ClientDirectory clients = new ClientDirectory(config.country(), config.clients());
        GatewayConfig.Limits limits = config.limits();
        GatewayConfig.RequestBodies bodies = limits.bodies();
        // the same listeners as a gateway's, with the same bound on request bodies in the heap
        org.puente.engine.admission.AdmissionControl admission = org.puente.engine.admission.AdmissionControl.of(limits);
        listeners.secure(host, config.listeners().agencyPort(), security.ownClientsServerContext(), new ListenerGuard(
                new ListenerGuard.Policy("agency", bodies.agencyBytes(), bodies.pace(), clients::require, ListenerGuard.agencies()),
                admission.bodies("agency"), (op, e) -> { }));
        listeners.secure(host, config.listeners().peerPort(), security.peerServerContext(), new ListenerGuard(
                new ListenerGuard.Policy("peer", bodies.peerBytes(), bodies.pace(), cert -> new ClientPrincipal("peer",
                        ClientEntry.Role.AGENCY, Optional.empty(), cert.getSubjectX500Principal().getName()),
                        ListenerGuard.identified()), admission.bodies("peer"), (op, e) -> { }));
        listeners.secure(host, config.listeners().opsPort(), security.ownClientsServerContext(), new ListenerGuard(
                new ListenerGuard.Policy("ops", bodies.opsBytes(), bodies.pace(), clients::require,
                        ListenerGuard.operatorsAndAuditors()), admission.bodies("ops"), (op, e) -> { }));
        context.getRegistry().bind("cxfBus", listeners.bus());
        context.getRegistry().bind("apiExceptionMappers", List.of(new org.puente.routes.camel.WebErrorMapper()));
        context.addService(listeners, true, true);
        GatewayConfiguration.bindEndpoints(context, config);
        PlainRelay relay = new PlainRelay(security.peerClientContext(), config.peer().url());
        ApiEdge agencyEdge = new ApiEdge(clients::require, List.of("id", "after", "limit"));
        ApiEdge peerEdge = new ApiEdge(cert -> new ClientPrincipal("peer", ClientEntry.Role.AGENCY, Optional.empty(),
                cert.getSubjectX500Principal().getName()), List.of("Relay-Id", "Relay-Created"));
        context.addRoutesConfigurations(new ErrorHandlingConfiguration(new ApiErrorResponder((op, e) -> { }),
                new BackgroundFailures((r, c) -> { })));
        context.addRoutes(new PlainRelayRoute(agencyEdge, peerEdge, relay));
    }
}
