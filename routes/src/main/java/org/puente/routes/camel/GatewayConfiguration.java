package org.puente.routes.camel;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.PropertiesComponent;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.error.PuenteException;
import org.puente.engine.Gateway;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkLine;
import org.puente.engine.work.WorkRunner;
import org.puente.routes.api.AgencyApi;
import org.puente.routes.api.AuditApi;
import org.puente.routes.api.OpsApi;
import org.puente.routes.api.PeerApi;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.config.DropFolderConfig;
import org.puente.engine.config.DropFolderConfigLoader;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.config.GatewayConfigLoader;
import org.puente.routes.ops.GatewayLogFields;
import org.puente.routes.ops.GatewayMetrics;
import org.puente.routes.ops.PlatformMeters;
import org.puente.engine.security.CertificateNames;
import org.puente.engine.security.ClientPrincipal;

/**
 * The Camel side of a gateway: reads and validates the configuration, assembles the gateway,
 * secures the three listeners before any consumer binds them, and adds the routes. The same
 * class runs both countries; only {@code application.properties} differs.
 */
public final class GatewayConfiguration implements CamelConfiguration {
    private final Clock clock;
    private GatewayAssembly assembly;

    /** The configuration Camel Main instantiates: the gateway runs on the system's UTC clock. */
    public GatewayConfiguration() {
        this(Clock.systemUTC());
    }

    /**
     * A gateway on another clock: the seam for tests that move time (the daily reconciliation's
     * due check, retry backoffs) instead of waiting for it. Production uses the no-argument one.
     */
    public GatewayConfiguration(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent props = context.getPropertiesComponent();
        MessageCatalogue catalogue = GatewayConfigLoader.catalogue(props::resolveProperty);
        GatewayConfig config = new GatewayConfigLoader(catalogue).load(props::resolveProperty);
        DropFolderConfig drops = new DropFolderConfigLoader().load(props::resolveProperty, config);
        GatewayLogFields.identify(config.country().name(), config.gatewayName());
        PrometheusMeterRegistry registry = PlatformMeters.newRegistry(config.country().name());
        context.getRegistry().bind("prometheusMeterRegistry", registry);
        PlatformMeters.install(context, registry);
        // Route ids in every log line written while a route processes an exchange (docs/operations.md).
        context.setUseMDCLogging(true);
        GatewayMetrics metrics = new GatewayMetrics(registry, config.country().name());

        ExecutorService httpExecutor = context.getExecutorServiceManager()
                .newFixedThreadPool(this, "puente-http-client", Math.max(2, config.dispatch().totalConcurrency()));
        Wake wake = new Wake(context);
        assembly = new GatewayAssembly(config, catalogue, drops, metrics, httpExecutor, wake::to, clock);
        Gateway gateway = assembly.gateway();
        wake.drive(gateway.runner());
        context.getRegistry().bind("puenteGateway", assembly);

        CxfListeners listeners = new CxfListeners();
        String host = config.listeners().host();
        GatewayConfig.RequestBodies bodies = config.limits().bodies();
        listeners.secure(host, config.listeners().agencyPort(), gateway.security().ownClientsServerContext(),
                new ListenerGuard(new ListenerGuard.Policy("agency", bodies.agencyBytes(), bodies.pace(),
                        gateway.clients()::require, ListenerGuard.agencies()), gateway.admission().bodies("agency"), metrics));
        listeners.secure(host, config.listeners().peerPort(), gateway.security().peerServerContext(),
                new ListenerGuard(new ListenerGuard.Policy("peer", bodies.peerBytes(), bodies.pace(),
                        cert -> peerPrincipal(config, cert), ListenerGuard.identified()), gateway.admission().bodies("peer"), metrics));
        listeners.secure(host, config.listeners().opsPort(), gateway.security().ownClientsServerContext(),
                new ListenerGuard(new ListenerGuard.Policy("ops", bodies.opsBytes(), bodies.pace(),
                        gateway.clients()::require, ListenerGuard.operatorsAndAuditors()), gateway.admission().bodies("ops"), metrics));
        context.getRegistry().bind("cxfBus", listeners.bus());
        context.getRegistry().bind("apiExceptionMappers", List.of(new WebErrorMapper(), new BodyLimit.Mapper(metrics)));
        context.addService(listeners, true, true);
        context.addService(new GatewayLifecycle(assembly), true, true);

        ApiErrorResponder responder = new ApiErrorResponder(metrics);
        context.addRoutesConfigurations(new ErrorHandlingConfiguration(responder, new BackgroundFailures(metrics),
                new SoapFaultResponder(metrics)));
        bindEndpoints(context, config);

        ApiEdge agencyEdge = new ApiEdge(gateway.clients()::require, List.of("id", "after", "limit", "state"));
        ApiEdge opsEdge = new ApiEdge(gateway.clients()::require, OpsAssembly.parameters());
        ApiEdge peerEdge = new ApiEdge(cert -> peerPrincipal(config, cert), List.of());
        context.addRoutes(new AgencyApiRoute(agencyEdge, assembly.agencyHandler, assembly.cooperationHandler));
        // SOAP on the agency port, under its own path: same TLS trust and client certificates as REST.
        context.getRegistry().bind("agencySoap", AgencySoapEndpoint.create(context, listeners.bus(), host,
                config.listeners().agencyPort(), gateway.admission().maxDocumentBytes(), new SoapFaultTranslator(metrics)));
        context.addRoutes(new AgencySoapRoute(new SoapEdge(gateway.clients()::require), assembly.agencySoapHandler));
        context.addRoutes(new PeerApiRoute(peerEdge, assembly.peerHandler));
        new OpsAssembly(context, assembly, registry).install(opsEdge);
        context.addRoutes(new AuditRoute(gateway, assembly.auditHandler));
        context.addRoutes(new PayloadRetentionRoute(gateway.payloadRetention(), metrics));
        context.addRoutes(new KeyAnnouncementRoute(gateway.keyAnnouncements()));
        long poll = config.dispatch().pollInterval().toMillis();
        long sweep = Math.max(1000, Math.min(5000, poll * 10));
        for (WorkKind kind : WorkKind.values()) {
            if (gateway.runner().handles(kind)) {
                for (WorkLine line : gateway.runner().lines(kind)) {
                    ExecutorService pool = context.getExecutorServiceManager().newFixedThreadPool(this,
                            "puente-" + Endpoints.work(line), gateway.runner().settings(kind).concurrency(line));
                    context.addRoutes(new WorkRoute(gateway.runner(), line, pool, poll, sweep));
                }
            }
        }
        if (!drops.isEmpty()) {
            context.addRoutes(new DropFolderRoute(drops, gateway));
        }
    }

    /** The peer listener lets only the other country's gateway in (its CA was checked by TLS). */
    private static ClientPrincipal peerPrincipal(GatewayConfig config, java.security.cert.X509Certificate cert) {
        String name = CertificateNames.commonName(cert);
        if (!config.peer().gatewayName().equalsIgnoreCase(name)) {
            throw new PuenteException(org.puente.model.error.ErrorCode.FORBIDDEN,
                    "the peer API is for " + config.peer().gatewayName() + " only, not " + name);
        }
        return new ClientPrincipal("peer", ClientEntry.Role.AGENCY, Optional.empty(), cert.getSubjectX500Principal().getName());
    }

    /** The three CXF JAX-RS consumer endpoints, bound under the names {@link Endpoints} refers to. */
    public static void bindEndpoints(CamelContext context, GatewayConfig config) {
        String host = config.listeners().host();
        bindEndpoint(context, "agencyApi", host, config.listeners().agencyPort(), AgencyApi.class);
        bindEndpoint(context, "peerApi", host, config.listeners().peerPort(), PeerApi.class);
        bindEndpoint(context, "opsApi", host, config.listeners().opsPort(), OpsApi.class, AuditApi.class);
    }

    private static void bindEndpoint(CamelContext context, String name, String host, int port, Class<?>... resources) {
        String classes = java.util.Arrays.stream(resources).map(Class::getName).collect(java.util.stream.Collectors.joining(","));
        String uri = "cxfrs://https://" + host + ":" + port + "/?resourceClasses=" + classes
                + "&bindingStyle=SimpleConsumer&bus=#cxfBus&providers=#apiExceptionMappers";
        context.getRegistry().bind(name, context.getEndpoint(uri));
    }

    /**
     * Sends wake-ups to the coalescing seda queues of the work routes once the context can send:
     * to every line of the kind (before the runner is known, to the kind's shared line).
     */
    private static final class Wake {
        private final CamelContext context;
        private volatile ProducerTemplate template;
        private volatile WorkRunner runner;

        void drive(WorkRunner workRunner) {
            this.runner = workRunner;
        }

        Wake(CamelContext context) {
            this.context = context;
        }

        void to(WorkKind kind) {
            ProducerTemplate t = template;
            if (t == null) {
                synchronized (this) {
                    if (template == null) {
                        template = context.createProducerTemplate();
                    }
                    t = template;
                }
            }
            WorkRunner r = runner;
            List<WorkLine> lines = r != null && r.handles(kind) ? r.lines(kind) : List.of(WorkLine.shared(kind));
            for (WorkLine line : lines) {
                t.sendBody(Endpoints.workWake(line), line);
            }
        }
    }
}
