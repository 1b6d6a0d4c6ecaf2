package org.puente.routes.camel;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.puente.routes.audit.AuditServices;

/**
 * The auditor API operations (served by the operations listener's endpoint, which dispatches to
 * {@code direct:ops-<operation>}), and the audit log's schedules: signed checkpoints, retention,
 * and the daily reconciliation with the peer gateway.
 */
public final class AuditRoute extends RouteBuilder {
    static final List<String> OPERATIONS = List.of("auditEvents", "auditMessage", "auditHead", "auditCheckpoints",
            "auditExport");

    private final AuditServices audit;

    public AuditRoute(AuditServices audit) {
        this.audit = audit;
    }

    @Override
    public void configure() {
        for (String op : OPERATIONS) {
            String id = RouteNames.kebab(op);
            from(Endpoints.OPS_OPERATION + op).routeId(id).routeConfigurationId(ErrorHandlingConfiguration.API)
                    .bean(audit.handler(), op).id(id + "-handle");
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
                    .bean(audit.reconciliation(), "runIfDue").id("audit-reconcile-run");
        }
    }
}
