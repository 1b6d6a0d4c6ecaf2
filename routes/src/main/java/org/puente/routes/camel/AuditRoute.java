package org.puente.routes.camel;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.puente.engine.Gateway;
import org.puente.engine.audit.AuditServices;
import org.puente.routes.api.AuditHandler;

/**
 * The auditor API operations (served by the operations listener's endpoint, which dispatches to
 * {@code direct:ops-<operation>}), and the audit log's schedules: signed checkpoints, retention,
 * and the daily reconciliation with the peer gateway (queued as work: it runs once, on one instance).
 */
public final class AuditRoute extends RouteBuilder {
    static final List<String> OPERATIONS = List.of("auditEvents", "auditMessage", "auditHead", "auditCheckpoints",
            "auditExport");

    private final AuditServices audit;
    private final AuditHandler handler;
    private final Gateway gateway;

    public AuditRoute(Gateway gateway, AuditHandler handler) {
        this.audit = gateway.audit();
        this.handler = handler;
        this.gateway = gateway;
    }

    @Override
    public void configure() {
        for (String op : OPERATIONS) {
            String id = RouteNames.kebab(op);
            from(Endpoints.OPS_OPERATION + op).routeId(id).routeConfigurationId(ErrorHandlingConfiguration.API)
                    .bean(handler, op).id(id + "-handle");
        }
        from(Endpoints.tick("audit-checkpoint", audit.settings().checkpointInterval().toMillis())).routeId("audit-checkpoint")
                .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(audit.checkpoints(), "checkpoint").id("audit-checkpoint-sign");
        from(Endpoints.tick("audit-retention", audit.settings().retentionCheckInterval().toMillis()))
                .routeId("audit-retention").routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(audit.retention(), "archiveDue").id("audit-retention-archive");
        if (audit.settings().reconcile()) {
            from(Endpoints.tick("audit-reconcile", audit.settings().reconcileCheckInterval().toMillis()))
                    .routeId("audit-reconcile").routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                    .bean(gateway, "enqueueReconciliationIfDue").id("audit-reconcile-enqueue");
        }
    }
}
