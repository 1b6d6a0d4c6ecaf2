package org.puente.engine.answer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.inbound.InboxEntry;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.security.ClientPrincipal;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Lane;
import org.puente.engine.work.NewJob;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.model.AgencyRef;
import org.puente.model.answer.BusinessAnswer;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * A receiving agency answers a message in its mailbox with a business status. The answer, its
 * audit event and the job that carries it back to the sending gateway (signed) are one unit,
 * answered only once on disk. One answer per message: the same answer again is harmless, a
 * different one is refused ({@code answer_conflict}) and the first stands.
 */
public final class BusinessAnswers {
    /** How long the peer may be away before an answer's notice becomes a dead letter. */
    static final Duration ANSWER_TIME = Duration.ofDays(30);

    private final Transactions tx;
    private final InboxStore inbox;
    private final WorkQueue queue;
    private final AuditLog audit;
    private final Clock clock;
    private final Runnable wake;

    public BusinessAnswers(Transactions tx, InboxStore inbox, WorkQueue queue, AuditLog audit, Clock clock, Runnable wake) {
        this.tx = tx;
        this.inbox = inbox;
        this.queue = queue;
        this.audit = audit;
        this.clock = clock;
        this.wake = wake;
    }

    /**
     * Records the caller's answer to a message of its mailbox (acknowledged or not).
     *
     * @throws PuenteException {@code not_found} (not a message of the caller's mailbox),
     *                         {@code invalid_answer}, {@code answer_conflict}
     */
    public AnswerRows.Row answer(ClientPrincipal caller, UUID messageId, BusinessAnswer answer) {
        AgencyRef agency = agencyOf(caller);
        InboxEntry e = tx.read(c -> inbox.find(c, messageId)).filter(x -> x.header().receiver().equals(agency))
                .orElseThrow(() -> new PuenteException(ErrorCode.NOT_FOUND, "message", messageId));
        answer.validated();
        Instant now = clock.instant();
        boolean stored = tx.write(c -> {
            if (!AnswerRows.insert(c, messageId, AnswerRows.GIVEN, agency.agency(), answer, now, caller.subject(), null)) {
                return false;
            }
            audit.append(c, AuditEvent.of(AuditEventType.ANSWER_GIVEN, e.header(), now, caller.subject())
                    .withDigests(e.payloadSha256(), e.envelopeSha256())
                    .withOutcome(AuditEvent.OK, null, answer.summary()));
            queue.enqueue(c, NewJob.forMessage(WorkKind.BUSINESS_ANSWER, messageId, Lane.of(e.header().priority()), 0, now,
                    now.plus(ANSWER_TIME)), now);
            return true;
        });
        AnswerRows.Row row = tx.read(c -> AnswerRows.find(c, messageId)).orElseThrow();
        if (!stored && !row.answer().equals(answer)) {
            throw new PuenteException(ErrorCode.ANSWER_CONFLICT, messageId, row.answer().status());
        }
        if (stored) {
            wake.run();
        }
        return row;
    }

    private static AgencyRef agencyOf(ClientPrincipal caller) {
        if (!caller.is(ClientEntry.Role.AGENCY) || caller.agency().isEmpty()) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "only agency systems answer messages");
        }
        return caller.agency().get();
    }
}
