package org.puente.engine.cases;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.Worker;

/**
 * A case's deadline came (its job runs at the deadline): if the case still has that deadline
 * unmet, it becomes overdue, with a case event and an audit event in the unit that ends the job.
 * A case answered or deferred meanwhile is left alone.
 */
public final class CaseDeadlineWorker implements Worker {
    private final AuditLog audit;
    private final String gatewayName;
    private final Clock clock;

    public CaseDeadlineWorker(AuditLog audit, String gatewayName, Clock clock) {
        this.audit = audit;
        this.gatewayName = gatewayName;
        this.clock = clock;
    }

    /** The job's reference: the case and the deadline it checks. */
    static String ref(UUID caseId, Instant due) {
        return caseId + "@" + due.toEpochMilli();
    }

    @Override
    public WorkKind kind() {
        return WorkKind.CASE_DEADLINE;
    }

    @Override
    public List<Outcome> perform(List<Job> jobs) {
        List<Outcome> outcomes = new ArrayList<>(jobs.size());
        for (Job j : jobs) {
            int at = j.ref().indexOf('@');
            UUID caseId = UUID.fromString(j.ref().substring(0, at));
            Instant due = Instant.ofEpochMilli(Long.parseLong(j.ref().substring(at + 1)));
            outcomes.add(Outcome.done(j, c -> {
                Instant now = clock.instant();
                if (CaseRows.overdue(c, caseId, due, now)) {
                    String detail = "deadline " + due + " passed unmet";
                    CaseRows.event(c, caseId, new CaseEvent(now, "OVERDUE", null, detail));
                    audit.append(c, AuditEvent.action(AuditEventType.CASE_OVERDUE, now, gatewayName,
                            "case " + caseId + ": " + detail).withMessageId(caseId));
                }
                return () -> { };
            }));
        }
        return outcomes;
    }

    @Override
    public Runnable expired(Connection c, Job job, Instant now) {
        return () -> { };
    }
}
