package org.puente.routes.camel;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import org.puente.engine.Gateway;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.engine.config.DropFolderConfig;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.work.WorkWake;
import org.puente.routes.api.AgencyHandler;
import org.puente.routes.api.AgencySoapHandler;
import org.puente.routes.api.AuditHandler;
import org.puente.routes.api.CooperationHandler;
import org.puente.routes.api.PeerHandler;
import org.puente.routes.ops.GatewayMetrics;
import org.puente.routes.ops.HealthMonitor;

/**
 * The engine's gateway with what the Camel side adds around it: meters and the metered audit
 * log, the health monitor, and the handlers the listeners call. No routes here; the Camel
 * wiring is {@link GatewayConfiguration}.
 */
public final class GatewayAssembly implements AutoCloseable {
    final GatewayConfig config;
    final Gateway gateway;
    final GatewayMetrics metrics;
    final HealthMonitor health;
    final AgencyHandler agencyHandler;
    final CooperationHandler cooperationHandler;
    final AgencySoapHandler agencySoapHandler;
    final PeerHandler peerHandler;
    final AuditHandler auditHandler;

    /** @param clock the gateway's clock (the system's UTC clock but in tests: {@link GatewayConfiguration#GatewayConfiguration(Clock)}) */
    public GatewayAssembly(GatewayConfig config, MessageCatalogue catalogue, DropFolderConfig drops, GatewayMetrics metrics,
                           ExecutorService httpExecutor, WorkWake wake, Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.gateway = new Gateway(config, catalogue, drops, new Gateway.Hooks(metrics, metrics, metrics,
                metrics::reconciliationMismatch, httpExecutor, wake), clock);
        gateway.runner().setListener(metrics);
        this.health = new HealthMonitor(config, gateway.readings(), gateway.admission(), gateway.envelopes(),
                gateway.peerClient(), gateway.security(), metrics, java.time.Clock.systemUTC());
        this.agencyHandler = new AgencyHandler(gateway.submissions(), gateway.statuses(), gateway.mailboxes(),
                gateway.cooperation().answers(), config.limits());
        this.cooperationHandler = new CooperationHandler(gateway.cooperation().cases(), gateway.cooperation().consents(),
                gateway.cooperation().withdrawals());
        this.agencySoapHandler = new AgencySoapHandler(gateway.submissions(), gateway.statuses(), gateway.mailboxes(),
                gateway.cooperation().answers());
        this.peerHandler = new PeerHandler(gateway.receiver(), gateway.notices(), gateway.envelopes(),
                config.limits().maxBatchItems(), gateway.audit(), gateway.keyAnnouncements(),
                gateway.cooperation().withdrawalReceiver());
        this.auditHandler = new AuditHandler(gateway.auditQueries());
        health.watch(gateway.keyAnnouncements(), metrics);
        health.watch(gateway.audit(), metrics);
    }

    public GatewayConfig config() {
        return config;
    }

    public Gateway gateway() {
        return gateway;
    }

    public HealthMonitor health() {
        return health;
    }

    /** Whether the agency API admits submissions now (readiness is decided by the health schedule). */
    public boolean admitsWork() {
        return gateway.admitsWork();
    }

    @Override
    public void close() {
        gateway.close();
    }
}
