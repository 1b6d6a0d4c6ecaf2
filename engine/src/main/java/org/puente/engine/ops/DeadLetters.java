package org.puente.engine.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.outbound.OutboundLedger;
import org.puente.engine.outbound.OutboxEntry;
import org.puente.engine.outbound.OutboxState;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.security.ClientPrincipal;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Lane;
import org.puente.engine.work.NewJob;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.envelope.SealedEnvelope;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The dead letters of the work queue, for operators: every job whose time ran out, of every
 * kind, and their re-drive. Every re-drive is audited with the operator, in the unit that puts
 * the job back.
 *
 * <p>Implementation note (re-drive of an envelope): the peer refuses an envelope whose signed
 * header has expired, so resending the stored one cannot succeed. The re-drive keeps the message
 * id, the payload and the time-to-live, gives the header a new creation time, and seals it again
 * before the unit that stores it; the peer still recognises the message id, so a copy it stored
 * before is answered as a duplicate, with a receipt naming the re-sealed envelope
 * ({@code PeerReceiver}), and keeps the copy it had.
 */
public final class DeadLetters {
    /** Largest page of the operators' list, and of one re-drive-all step. */
    public static final int MAX_PAGE = 500;
    /** How long a re-driven hand-over or notice is tried again. */
    private static final Duration RETRY_WINDOW = Duration.ofDays(1);

    private final Transactions tx;
    private final WorkQueue queue;
    private final OutboxStore outbox;
    private final InboxStore inbox;
    private final OutboundLedger ledger;
    private final AuditLog audit;
    private final PeerEnvelopes envelopes;
    private final Runnable wakeAll;
    private final Clock clock;

    public DeadLetters(Transactions tx, WorkQueue queue, OutboxStore outbox, InboxStore inbox, OutboundLedger ledger,
                       AuditLog audit, PeerEnvelopes envelopes, Runnable wakeAll, Clock clock) {
        this.tx = tx;
        this.queue = queue;
        this.outbox = outbox;
        this.inbox = inbox;
        this.ledger = ledger;
        this.audit = audit;
        this.envelopes = envelopes;
        this.wakeAll = wakeAll;
        this.clock = clock;
    }

    /**
     * A dead letter as operators see it: metadata only, never the payload.
     *
     * @param header the message's header, when the job is about a message
     */
    public record DeadLetter(WorkKind kind, String ref, EnvelopeHeader header, int attempts, Instant since,
                             String lastErrorCode, String lastErrorDetail) {
    }

    /** Dead letters, the longest dead first. */
    public List<DeadLetter> list(int limit) {
        int n = Math.max(1, Math.min(MAX_PAGE, limit));
        return tx.read(c -> {
            List<DeadLetter> out = new ArrayList<>();
            for (WorkQueue.DeadJob d : queue.dead(c, null, n)) {
                out.add(new DeadLetter(d.job().kind(), d.job().ref(), header(c, d.job().kind(), d.job().ref()),
                        d.job().attempts(), d.since(), d.lastErrorCode(), d.lastErrorDetail()));
            }
            return out;
        });
    }

    public long count() {
        return tx.read(queue::deadCount);
    }

    /** What a re-drive put back: the message, and for an envelope its new expiry. */
    public record Redriven(String ref, List<WorkKind> kinds, Instant expiresAt) {
    }

    /** Puts every dead job about {@code ref} (a message id, or a day) back in the queue. */
    public Redriven redrive(ClientPrincipal operator, String ref) {
        List<WorkQueue.DeadJob> dead = tx.read(c -> {
            List<WorkQueue.DeadJob> found = new ArrayList<>();
            for (WorkKind k : WorkKind.values()) {
                queue.deadJob(c, k, ref).ifPresent(found::add);
            }
            return found;
        });
        if (dead.isEmpty()) {
            throw new PuenteException(ErrorCode.NOT_FOUND, "dead-lettered message", ref);
        }
        Instant expiry = null;
        List<WorkKind> kinds = new ArrayList<>();
        for (WorkQueue.DeadJob d : dead) {
            Instant e = d.job().kind() == WorkKind.PEER_ENVELOPE ? resend(operator, d) : reviveOther(operator, d);
            expiry = expiry == null || e.isAfter(expiry) ? e : expiry;
            kinds.add(d.job().kind());
        }
        wakeAll.run();
        return new Redriven(ref, kinds, expiry);
    }

    /** Re-drives every dead letter, page by page; returns how many went back in the queue. */
    public int redriveAll(ClientPrincipal operator) {
        Set<String> tried = new HashSet<>();
        int redriven = 0;
        while (true) {
            List<DeadLetter> page = list(MAX_PAGE).stream().filter(d -> tried.add(d.kind() + "/" + d.ref())).toList();
            if (page.isEmpty()) {
                return redriven;
            }
            for (DeadLetter d : page) {
                try {
                    redriven += redrive(operator, d.ref()).kinds().size();
                } catch (PuenteException e) {
                    // gone meanwhile, or its payload purged after the retention (a re-drive cannot re-seal it)
                    if (e.errorCode() != ErrorCode.NOT_FOUND && e.errorCode() != ErrorCode.PAYLOAD_PURGED) {
                        throw e;
                    }
                }
            }
        }
    }

    private Instant resend(ClientPrincipal operator, WorkQueue.DeadJob d) {
        UUID id = d.job().messageId();
        OutboxEntry e = tx.read(c -> outbox.find(c, id)).filter(x -> x.state() == OutboxState.EXPIRED)
                .orElseThrow(() -> new PuenteException(ErrorCode.NOT_FOUND, "dead-lettered message", id));
        byte[] payload = tx.read(c -> outbox.payload(c, id)).orElseThrow();
        Instant now = clock.instant();
        EnvelopeHeader h = e.header();
        EnvelopeHeader renewed = new EnvelopeHeader(h.messageId(), h.correlationId(), h.messageType(), h.schemaVersion(),
                h.sender(), h.receiver(), h.legalBasis(), h.purpose(), h.sensitivity(), h.language(),
                now.truncatedTo(ChronoUnit.MILLIS), h.timeToLive(), h.priority());
        SealedEnvelope sealed = envelopes.seal(renewed, payload);
        tx.write(c -> {
            if (!ledger.redriven(c, e, renewed, sealed, operator.subject(), now)) {
                throw new PuenteException(ErrorCode.NOT_FOUND, "dead-lettered message", id);
            }
            if (!queue.revive(c, WorkKind.PEER_ENVELOPE, id.toString(), sealed.bytes().length, renewed.expiresAt(), now)) {
                queue.enqueue(c, NewJob.forMessage(WorkKind.PEER_ENVELOPE, id, Lane.of(renewed.priority()),
                        sealed.bytes().length, now, renewed.expiresAt()), now);
            }
            return null;
        });
        return renewed.expiresAt();
    }

    private Instant reviveOther(ClientPrincipal operator, WorkQueue.DeadJob d) {
        Instant now = clock.instant();
        Instant until = now.plus(RETRY_WINDOW);
        tx.write(c -> {
            if (!queue.revive(c, d.job().kind(), d.job().ref(), d.job().sizeBytes(), until, now)) {
                throw new PuenteException(ErrorCode.NOT_FOUND, "dead-lettered job", d.job().ref());
            }
            AuditEvent event = AuditEvent.action(AuditEventType.MESSAGE_REDRIVEN, now, operator.subject(),
                    "re-driven by an operator: " + d.job().kind() + " " + d.job().ref() + " after " + d.job().attempts()
                            + " attempts; tried again until " + until);
            EnvelopeHeader h = header(c, d.job().kind(), d.job().ref());
            audit.append(c, h == null ? event : event.withSubject(AuditEvent.Subject.of(h)));
            return null;
        });
        return until;
    }

    private EnvelopeHeader header(Connection c, WorkKind kind, String ref) throws SQLException {
        if (kind == WorkKind.RECONCILIATION) {
            return null;
        }
        UUID id = UUID.fromString(ref);
        if (kind == WorkKind.PEER_ENVELOPE) {
            return outbox.find(c, id).map(OutboxEntry::header).orElse(null);
        }
        return inbox.find(c, id).map(e -> e.header()).orElse(null);
    }
}
