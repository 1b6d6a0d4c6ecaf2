package org.puente.engine.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.security.ClientPrincipal;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Switchboard;
import org.puente.model.error.PuenteException;

/**
 * The operators' switches: suspend and resume delivery to the peer (submissions are still
 * accepted and queue), and reload the CRLs. Suspension is kept in the database, so it holds for
 * every instance sharing it; the switch and its audit event are one unit of work (fail closed:
 * no audit, no switch).
 */
public final class OperatorActions {
    private final Transactions tx;
    private final AuditLog audit;
    private final Switchboard switches;
    private final Supplier<CrlReloadResult> crlReload;
    private final Runnable wakeDispatch;
    private final Clock clock;

    /** What a CRL reload loaded: how many CRLs, and one line for the audit log. */
    public record CrlReloadResult(int crls, String summary) {
    }

    /** @param crlReload re-reads the configured CRL files into every trust decision; returns how many it loaded */
    public OperatorActions(Transactions tx, AuditLog audit, Switchboard switches, IntSupplier crlReload,
                           Runnable wakeDispatch, Clock clock) {
        this(tx, audit, switches, () -> {
            int n = crlReload.getAsInt();
            return new CrlReloadResult(n, n + " CRLs reloaded");
        }, wakeDispatch, clock);
    }

    /**
     * @param crlReload re-reads the configured CRL files into every trust decision, all or nothing;
     *                  throws (and keeps the previous CRLs) when the new files are unusable
     */
    public OperatorActions(Transactions tx, AuditLog audit, Switchboard switches, Supplier<CrlReloadResult> crlReload,
                           Runnable wakeDispatch, Clock clock) {
        this.tx = tx;
        this.audit = audit;
        this.switches = switches;
        this.crlReload = crlReload;
        this.wakeDispatch = wakeDispatch;
        this.clock = clock;
    }

    /** The delivery switch's position. */
    public record DeliveryState(boolean suspended, String reason) {
    }

    public DeliveryState suspend(ClientPrincipal operator, String reason) {
        String why = reason == null || reason.isBlank() ? "suspended by an operator" : reason.strip();
        throwSwitch(operator, true, why, AuditEventType.ROUTE_SUSPENDED, "delivery to the peer suspended: " + why);
        return state();
    }

    public DeliveryState resume(ClientPrincipal operator) {
        throwSwitch(operator, false, null, AuditEventType.ROUTE_RESUMED, "delivery to the peer resumed");
        wakeDispatch.run();
        return state();
    }

    public DeliveryState state() {
        Switchboard.Position p = tx.read(c -> switches.position(c, Switchboard.PEER_DELIVERY));
        return new DeliveryState(p.suspended(), p.reason());
    }

    /** Throws the switch and audits it in one unit; the audit says when it was already in that position. */
    private void throwSwitch(ClientPrincipal operator, boolean suspended, String reason, AuditEventType type, String detail) {
        Instant now = clock.instant();
        tx.write(c -> {
            Switchboard.Position before = switches.set(c, Switchboard.PEER_DELIVERY, suspended, reason, operator.subject(), now);
            String said = before.suspended() == suspended
                    ? detail + " (it already was" + (before.since() == null ? "" : ", since " + before.since())
                            + (before.reason() == null ? "" : ": " + before.reason()) + ")"
                    : detail;
            audit.append(c, AuditEvent.action(type, now, operator.subject(), said));
            return null;
        });
    }

    /**
     * Reloads the CRLs, then audits the outcome. A refused reload changed nothing (the reload
     * swaps every trust object or none), is audited as failed with its reason, and is thrown to
     * the operator. The reload comes first because it can only make trust fresher; if its audit
     * event cannot be written the operator is told the action failed.
     */
    public CrlReloadResult reloadCrls(ClientPrincipal operator) {
        CrlReloadResult loaded;
        try {
            loaded = crlReload.get();
        } catch (PuenteException e) {
            String why = e.args().isEmpty() ? e.errorCode().code() : String.valueOf(e.args().get(0));
            record(operator, "CRL reload refused (" + e.errorCode().code() + ": " + why
                    + "); the previous CRLs stay in force", AuditEvent.FAILED);
            throw e;
        }
        record(operator, loaded.summary(), AuditEvent.OK);
        return loaded;
    }

    private void record(ClientPrincipal operator, String detail, String outcome) {
        Instant now = clock.instant();
        AuditEvent event = AuditEvent.action(AuditEventType.CRLS_RELOADED, now, operator.subject(), detail);
        AuditEvent recorded = AuditEvent.OK.equals(outcome) ? event : event.withOutcome(outcome, null, detail);
        audit.append(tx, recorded);
    }
}
