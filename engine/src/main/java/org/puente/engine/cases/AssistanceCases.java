package org.puente.engine.cases;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.cooperation.Exchanged;
import org.puente.engine.cooperation.MessageRules;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Lane;
import org.puente.engine.work.NewJob;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.model.AgencyRef;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.validation.Problem;

/**
 * Mutual-assistance cases (CMAA): each {@code enforcement.assistance-request} opens one on both
 * gateways, its id the request's message id; responses answer, defer or close it, other enforcement
 * messages whose correlation id names it are linked as follow-ups. A response to a case this
 * gateway does not know, or has closed, or between other parties, is refused. Every change is a
 * case event and an audit event in the message's own unit of work; each deadline is a job of the
 * work queue that marks the case overdue if it is still unmet when it runs
 * ({@link CaseDeadlineWorker}).
 */
public final class AssistanceCases implements MessageRules {
    /** How far ahead a deadline counts as due soon (meters, dashboard). */
    public static final Duration DUE_SOON = Duration.ofDays(2);
    /** How long a deadline job may wait to be run after its time (the queue's expiry). */
    static final Duration DEADLINE_JOB_LIFE = Duration.ofDays(365);

    private final Transactions tx;
    private final WorkQueue queue;
    private final AuditLog audit;
    private final Clock clock;

    public AssistanceCases(Transactions tx, WorkQueue queue, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.queue = queue;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public boolean concerns(String messageType) {
        return messageType.startsWith("enforcement.");
    }

    @Override
    public Optional<Problem> refusal(Connection c, Exchanged m) throws SQLException {
        if (!CaseFacts.RESPONSE.equals(m.header().messageType())) {
            return Optional.empty();
        }
        Optional<CaseFacts.Response> r = CaseFacts.response(m.payload());
        if (r.isEmpty()) {
            return Optional.of(Problem.error(ErrorCode.UNKNOWN_CASE, "/payload/requestMessageId", "(unreadable)"));
        }
        String id = r.get().caseId().toString();
        Optional<AssistanceCase> k = CaseRows.find(c, r.get().caseId());
        String role = m.sent() ? CaseRows.REQUESTED : CaseRows.REQUESTING;
        if (k.isEmpty() || !k.get().role().equals(role) || !k.get().ourAgency().equals(ours(m))) {
            // another agency's case is as unknown to this one as a case that does not exist
            return Optional.of(Problem.error(ErrorCode.UNKNOWN_CASE, "/payload/requestMessageId", id));
        }
        AssistanceCase kase = k.get();
        if (kase.closed() && m.sent()) {
            // checked where the response is written; the receiving side stores one its peer accepted
            // (a deferral overtaken on the link by the closing response) without changing the case
            return Optional.of(Problem.error(ErrorCode.CASE_CLOSED, "/payload/requestMessageId", id, kase.outcome()));
        }
        EnvelopeHeader h = m.header();
        if (!peers(m).equals(kase.peerAgency()) || !h.sender().equals(r.get().responding())
                || !h.receiver().equals(r.get().requesting())) {
            return Optional.of(Problem.error(ErrorCode.CASE_MISMATCH, "/payload/respondingAdministration", id,
                    kase.peerAgency() + " and " + kase.ourAgency()));
        }
        if (!kase.reference().equals(r.get().reference())) {
            return Optional.of(Problem.error(ErrorCode.CASE_MISMATCH, "/payload/requestReference", id, kase.reference()));
        }
        return Optional.empty();
    }

    @Override
    public void apply(Connection c, Exchanged m) throws SQLException {
        String type = m.header().messageType();
        if (CaseFacts.REQUEST.equals(type)) {
            open(c, m);
        } else if (CaseFacts.RESPONSE.equals(type)) {
            respond(c, m);
        } else {
            Optional<AssistanceCase> k = CaseRows.named(c, m.header().correlationId(), ours(m), peers(m));
            if (k.isPresent()) {
                record(c, m, k.get().caseId(), AuditEventType.CASE_FOLLOW_UP, "FOLLOW_UP", type);
            }
        }
    }

    private void open(Connection c, Exchanged m) throws SQLException {
        CaseFacts.Request r = CaseFacts.request(m.payload());
        UUID id = m.header().messageId();
        Instant due = earliest(r.confirmBy(), r.respondBy());
        CaseRows.insert(c, new AssistanceCase(id, m.sent() ? CaseRows.REQUESTING : CaseRows.REQUESTED, r.reference(),
                ours(m), peers(m), m.header().legalBasis(), r.urgency(), r.confirmBy(), r.respondBy(), due, CaseRows.OPEN,
                null, m.at(), null, null));
        record(c, m, id, AuditEventType.CASE_OPENED, "OPENED", r.reference() + " " + r.urgency() + dueText(due));
        schedule(c, id, due, m);
    }

    private void respond(Connection c, Exchanged m) throws SQLException {
        CaseFacts.Response r = CaseFacts.response(m.payload()).orElseThrow();
        Optional<AssistanceCase> before = CaseRows.find(c, r.caseId());
        if (before.isEmpty()) {
            return;
        }
        boolean moved = r.defers()
                ? CaseRows.move(c, r.caseId(), CaseRows.DEFERRED, null, r.deferredUntil(), r.deferredUntil(), null)
                : CaseRows.move(c, r.caseId(), CaseRows.CLOSED, r.outcome(), null, null, m.at());
        if (!moved && m.sent()) {
            // refusal() was read before this unit: a response that closed the case meanwhile wins
            throw new org.puente.engine.api.RejectedSubmission(List.of(Problem.error(ErrorCode.CASE_CLOSED,
                    "/payload/requestMessageId", r.caseId().toString(), "(closed meanwhile)")));
        }
        String unchanged = moved ? "" : " (came after the case was closed; the case is unchanged)";
        if (r.defers()) {
            record(c, m, r.caseId(), AuditEventType.CASE_DEFERRED, "DEFERRED", "DEFERRED" + dueText(r.deferredUntil())
                    + unchanged);
            if (moved) {
                schedule(c, r.caseId(), r.deferredUntil(), m);
            }
        } else {
            Instant due = before.get().dueAt();
            String timing = !moved || due == null ? "" : m.at().isAfter(due) ? " late" : " on time";
            record(c, m, r.caseId(), AuditEventType.CASE_CLOSED, "ANSWERED", r.outcome() + timing + unchanged);
        }
    }

    private void record(Connection c, Exchanged m, UUID caseId, AuditEventType type, String event, String detail)
            throws SQLException {
        CaseRows.event(c, caseId, new CaseEvent(m.at(), event, m.header().messageId(), detail));
        audit.append(c, AuditEvent.of(type, m.header(), m.at(), m.by())
                .withOutcome(AuditEvent.OK, null, "case " + caseId + ": " + detail));
    }

    private void schedule(Connection c, UUID caseId, Instant due, Exchanged m) throws SQLException {
        if (due != null) {
            queue.enqueue(c, new NewJob(WorkKind.CASE_DEADLINE, CaseDeadlineWorker.ref(caseId, due), Lane.NORMAL, 0, due,
                    due.plus(DEADLINE_JOB_LIFE)), m.at());
        }
    }

    /** The caller agency's cases, newest first. */
    public List<AssistanceCase> cases(AgencyRef agency, boolean openOnly, int limit) {
        return tx.read(c -> CaseRows.ofAgency(c, agency.toString(), openOnly, limit));
    }

    /** One of the agency's cases with its history, or empty when it is not the agency's. */
    public Optional<CaseHistory> history(AgencyRef agency, UUID caseId) {
        return tx.read(c -> {
            Optional<AssistanceCase> k = CaseRows.find(c, caseId).filter(x -> x.ourAgency().equals(agency.toString()));
            return k.isEmpty() ? Optional.empty() : Optional.of(new CaseHistory(k.get(), CaseRows.history(c, caseId)));
        });
    }

    /** Cases not closed, per role, with those due soon and overdue (for meters and the dashboard). */
    public CaseCounts counts(Connection c) throws SQLException {
        Instant now = clock.instant();
        return CaseRows.counts(c, now, now.plus(DUE_SOON));
    }

    /** A case and its history. */
    public record CaseHistory(AssistanceCase kase, List<CaseEvent> events) {
    }

    private static String ours(Exchanged m) {
        return (m.sent() ? m.header().sender() : m.header().receiver()).toString();
    }

    private static String peers(Exchanged m) {
        return (m.sent() ? m.header().receiver() : m.header().sender()).toString();
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private static String dueText(Instant due) {
        return due == null ? "" : " due " + due;
    }
}
