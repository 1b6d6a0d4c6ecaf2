package org.puente.routes.exchange;

import java.time.Clock;
import java.time.Instant;
import java.util.function.IntSupplier;
import org.puente.model.error.PuenteException;
import org.puente.routes.security.ClientPrincipal;
import org.puente.routes.store.AuditEvent;
import org.puente.routes.store.AuditEventType;
import org.puente.routes.store.AuditLog;
import org.puente.routes.store.Transactions;

/**
 * The operators' switches: suspend and resume outbound delivery to the peer (submissions are
 * still accepted and queue), and reload the CRLs. Each action is audited with the operator's
 * certificate subject; a switch is thrown only once its audit event is on disk (fail closed).
 */
public final class OperatorActions {
    private final Transactions tx;
    private final AuditLog audit;
    private final DispatchControl control;
    private final IntSupplier crlReload;
    private final Runnable wakeDispatcher;
    private final Clock clock;

    /**
     * @param crlReload re-reads the configured CRL files into every trust decision; returns how many it loaded
     */
    public OperatorActions(Transactions tx, AuditLog audit, DispatchControl control, IntSupplier crlReload,
                           Runnable wakeDispatcher, Clock clock) {
        this.tx = tx;
        this.audit = audit;
        this.control = control;
        this.crlReload = crlReload;
        this.wakeDispatcher = wakeDispatcher;
        this.clock = clock;
    }

    /** The delivery switch's state after an action. */
    public record DeliveryState(boolean suspended, String reason) {
    }

    public DeliveryState suspend(ClientPrincipal operator, String reason) {
        String why = reason == null || reason.isBlank() ? "suspended by an operator" : reason.strip();
        record(operator, AuditEventType.ROUTE_SUSPENDED, "outbound delivery suspended: " + why, AuditEvent.OK);
        control.suspend(why);
        return state();
    }

    public DeliveryState resume(ClientPrincipal operator) {
        record(operator, AuditEventType.ROUTE_RESUMED, "outbound delivery resumed", AuditEvent.OK);
        control.resume();
        wakeDispatcher.run();
        return state();
    }

    public DeliveryState state() {
        return new DeliveryState(control.isSuspended(), control.reason());
    }

    /**
     * Reloads the CRLs, then audits the outcome. A failed reload keeps the previous CRLs and is
     * audited as failed. The reload comes first because it can only make trust fresher; if its
     * audit event cannot be written the operator is told the action failed.
     */
    public int reloadCrls(ClientPrincipal operator) {
        int loaded;
        try {
            loaded = crlReload.getAsInt();
        } catch (PuenteException e) {
            record(operator, AuditEventType.CRLS_RELOADED, "CRL reload failed (" + e.errorCode().code()
                    + "); the previous CRLs stay in force", AuditEvent.FAILED);
            throw e;
        }
        record(operator, AuditEventType.CRLS_RELOADED, loaded + " CRLs reloaded", AuditEvent.OK);
        return loaded;
    }

    private void record(ClientPrincipal operator, AuditEventType type, String detail, String outcome) {
        Instant now = clock.instant();
        AuditEvent event = AuditEvent.action(type, now, operator.subject(), detail);
        AuditEvent recorded = AuditEvent.OK.equals(outcome) ? event : event.withOutcome(outcome, null, detail);
        tx.write(c -> {
            audit.append(c, recorded);
            return null;
        });
    }
}
