package org.puente.routes.exchange;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.security.ClientPrincipal;
import org.puente.routes.store.AuditEvent;
import org.puente.routes.store.AuditEventType;
import org.puente.routes.store.AuditLog;
import org.puente.routes.store.DeadLetterStore;
import org.puente.routes.store.MessageStatus;
import org.puente.routes.store.OutboxEntry;
import org.puente.routes.store.OutboxState;
import org.puente.routes.store.OutboxStore;
import org.puente.routes.store.StatusStore;
import org.puente.routes.store.Transactions;

/**
 * Dead letters of the outbox: the sweep that expires pending messages whose time-to-live ran out
 * — on its own schedule, so expiry happens while delivery is suspended too — and the operator's
 * list and re-drive of EXPIRED messages. Every change is audited in the same unit of work.
 *
 * <p>Implementation note (re-drive): the peer refuses an envelope whose signed header has
 * expired, so resending the stored envelope cannot succeed. A re-drive therefore keeps the
 * message id, the payload and the time-to-live, gives the header a new creation time (the
 * re-drive), drops the old envelope and lets the dispatcher seal it again. The peer still
 * recognises the message id, so a copy it did store before is answered as a duplicate.
 */
public final class DeadLetters {
    /** Largest page of the operators' list, and of one re-drive-all step. */
    public static final int MAX_PAGE = 500;
    private static final int SWEEP_BATCH = 200;
    private static final String EXPIRED_DETAIL = "time-to-live ran out before the peer receipted it";

    private final Transactions tx;
    private final OutboxStore outbox;
    private final DeadLetterStore deadLetters;
    private final StatusStore statuses;
    private final AuditLog audit;
    private final String gatewayName;
    private final Runnable wakeDispatcher;
    private final Clock clock;
    private final OutboundDispatcher.DispatchListener listener;
    private final DispatchControl control;
    private final Runnable releaseReserved;

    /**
     * @param releaseReserved while suspended, gives back the reservations the dispatcher holds but
     *                        does not send ({@link OutboundDispatcher#releaseReserved}), so that
     *                        the sweep sees those messages
     */
    public DeadLetters(Transactions tx, OutboxStore outbox, DeadLetterStore deadLetters, StatusStore statuses,
                       AuditLog audit, String gatewayName, Runnable wakeDispatcher, Clock clock,
                       OutboundDispatcher.DispatchListener listener, DispatchControl control, Runnable releaseReserved) {
        this.control = control;
        this.releaseReserved = releaseReserved;
        this.tx = tx;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.statuses = statuses;
        this.audit = audit;
        this.gatewayName = gatewayName;
        this.wakeDispatcher = wakeDispatcher;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Expires every pending message past its time-to-live that no dispatcher holds (status and
     * audit {@code EXPIRED}, as when the dispatcher meets one). Returns how many it expired.
     */
    public int sweep() {
        if (control.isSuspended()) {
            releaseReserved.run();
        }
        Instant now = clock.instant();
        List<UUID> due = tx.read(c -> deadLetters.dueToExpire(c, now, SWEEP_BATCH));
        if (due.isEmpty()) {
            return 0;
        }
        List<Transactions.Work<OutboxEntry>> works = new ArrayList<>(due.size());
        for (UUID id : due) {
            works.add(c -> {
                if (deadLetters.expire(c, id, ErrorCode.MESSAGE_EXPIRED.code(), EXPIRED_DETAIL, now) == 0) {
                    return null;
                }
                OutboxEntry e = outbox.find(c, id).orElseThrow();
                statuses.append(c, id, MessageStatus.EXPIRED, now, ErrorCode.MESSAGE_EXPIRED.code(), EXPIRED_DETAIL);
                audit.append(c, AuditEvent.of(AuditEventType.EXPIRED, e.header(), now, gatewayName)
                        .withDigests(e.payloadSha256(), e.envelopeSha256())
                        .withOutcome(AuditEvent.FAILED, ErrorCode.MESSAGE_EXPIRED, EXPIRED_DETAIL));
                return e;
            });
        }
        int expired = 0;
        for (Transactions.Outcome<OutboxEntry> o : tx.writeAll(works)) {
            if (o.failure() != null) {
                throw o.failure();
            }
            if (o.value() != null) {
                listener.expired(o.value());
                expired++;
            }
        }
        return expired;
    }

    /** EXPIRED messages, the longest dead first (metadata only). */
    public List<DeadLetterStore.DeadLetter> list(int limit) {
        int n = Math.max(1, Math.min(MAX_PAGE, limit));
        return tx.read(c -> deadLetters.list(c, n));
    }

    public long count() {
        return tx.read(deadLetters::count);
    }

    /** Puts one EXPIRED message back in the queue (see the class note); audited with the operator. */
    public EnvelopeHeader redrive(ClientPrincipal operator, UUID messageId) {
        EnvelopeHeader renewed = tx.write(c -> renew(c, operator, messageId));
        wakeDispatcher.run();
        return renewed;
    }

    /** Re-drives every EXPIRED message, page by page; returns how many went back in the queue. */
    public int redriveAll(ClientPrincipal operator) {
        Set<UUID> tried = new HashSet<>();
        int redriven = 0;
        while (true) {
            List<Transactions.Work<EnvelopeHeader>> works = new ArrayList<>();
            for (DeadLetterStore.DeadLetter d : list(MAX_PAGE)) {
                if (tried.add(d.messageId())) {
                    works.add(c -> renew(c, operator, d.messageId()));
                }
            }
            if (works.isEmpty()) {
                break;
            }
            for (Transactions.Outcome<EnvelopeHeader> o : tx.writeAll(works)) {
                if (o.failure() == null) {
                    redriven++;
                } else if (o.failure().errorCode() != ErrorCode.NOT_FOUND) {
                    throw o.failure();
                }
            }
        }
        if (redriven > 0) {
            wakeDispatcher.run();
        }
        return redriven;
    }

    private EnvelopeHeader renew(java.sql.Connection c, ClientPrincipal operator, UUID messageId)
            throws java.sql.SQLException {
        OutboxEntry e = outbox.find(c, messageId).filter(x -> x.state() == OutboxState.EXPIRED)
                .orElseThrow(() -> new PuenteException(ErrorCode.NOT_FOUND, "dead-lettered message", messageId));
        Instant now = clock.instant();
        EnvelopeHeader h = e.header();
        EnvelopeHeader renewed = new EnvelopeHeader(h.messageId(), h.correlationId(), h.messageType(), h.schemaVersion(),
                h.sender(), h.receiver(), h.legalBasis(), h.purpose(), h.sensitivity(), h.language(),
                now.truncatedTo(ChronoUnit.MILLIS), h.timeToLive(), h.priority());
        if (deadLetters.renew(c, renewed, now) == 0) {
            throw new PuenteException(ErrorCode.NOT_FOUND, "dead-lettered message", messageId);
        }
        audit.append(c, AuditEvent.of(AuditEventType.MESSAGE_REDRIVEN, renewed, now, operator.subject())
                .withDigests(e.payloadSha256(), null)
                .withOutcome(AuditEvent.OK, null, "re-driven by an operator; it had expired at " + h.expiresAt()
                        + " after " + e.attempts() + " attempts; new expiry " + renewed.expiresAt()));
        return renewed;
    }
}
