package org.puente.routes.camel;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.puente.engine.Gateway;
import org.puente.engine.audit.AuditServices;
import org.puente.routes.api.AuditHandler;
import org.puente.routes.api.ProofHandler;
import org.puente.routes.api.ReconciliationHandler;

/**
 * The auditor API operations (served by the operations listener's endpoint, which dispatches to
 * {@code direct:ops-<operation>}), and the audit log's schedules: signed checkpoints, retention,
 * each followed by the peer's witnessing of the latest, and the daily reconciliation with the peer
 * gateway (queued as work: it runs once, on one instance).
 */
public final class AuditRoute extends RouteBuilder {
    static final List<String> OPERATIONS = List.of("auditEvents", "auditMessage", "auditHead", "auditCheckpoints",
            "auditExport");
    /** The proofs of the Merkle tree and of cross-witnessing ({@link ProofHandler}). */
    static final List<String> PROOF_OPERATIONS = List.of("auditInclusion", "auditConsistency", "auditCosignatures");
    /** The signed reports and answers of the daily reconciliation ({@link ReconciliationHandler}). */
    static final List<String> RECONCILIATION_OPERATIONS = List.of("auditReconciliations");

    private final AuditServices audit;
    private final AuditHandler handler;
    private final Gateway gateway;
    private final ProofHandler proofs;
    private final ReconciliationHandler reconciliations;

    public AuditRoute(Gateway gateway, AuditHandler handler) {
        this.proofs = new ProofHandler(gateway.audit().proofs());
        this.reconciliations = new ReconciliationHandler(gateway.audit().reconciliation());
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
        for (String op : PROOF_OPERATIONS) {
            String id = RouteNames.kebab(op);
            from(Endpoints.OPS_OPERATION + op).routeId(id).routeConfigurationId(ErrorHandlingConfiguration.API)
                    .bean(proofs, op).id(id + "-handle");
        }
        for (String op : RECONCILIATION_OPERATIONS) {
            String id = RouteNames.kebab(op);
            from(Endpoints.OPS_OPERATION + op).routeId(id).routeConfigurationId(ErrorHandlingConfiguration.API)
                    .bean(reconciliations, op).id(id + "-handle");
        }
        from(Endpoints.tick("audit-checkpoint", audit.settings().checkpointInterval().toMillis())).routeId("audit-checkpoint")
                .routeConfigurationId(ErrorHandlingConfiguration.BACKGROUND)
                .bean(audit, "checkpointAndWitness").id("audit-checkpoint-sign");
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
