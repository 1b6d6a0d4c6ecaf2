package org.puente.engine.audit;

import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.Worker;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Runs a queued daily reconciliation with the peer (job ref: the day). The peer's verdict
 * (RECONCILED, the day as done, the signed reports and answers) is written in the unit that closes
 * the job; a day already done by any instance is done.
 */
public final class ReconciliationWorker implements Worker {
    private final PeerReconciliation reconciliation;

    public ReconciliationWorker(PeerReconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.RECONCILIATION;
    }

    @Override
    public List<Outcome> perform(List<Job> jobs) {
        List<Outcome> outcomes = new ArrayList<>(jobs.size());
        for (Job j : jobs) {
            LocalDate day = LocalDate.parse(j.ref());
            try {
                // the verdict is recorded in the same unit that closes the job
                outcomes.add(reconciliation.isDone(day) ? Outcome.done(j, Outcome.Record.NOTHING)
                        : Outcome.done(j, reconciliation.ask(day)::record));
            } catch (PuenteException e) {
                outcomes.add(Outcome.retry(j, e.errorCode(), e.getMessage()));
            } catch (RuntimeException e) {
                outcomes.add(Outcome.retry(j, ErrorCode.INTERNAL_ERROR, e.getClass().getSimpleName()));
            }
        }
        return outcomes;
    }

    @Override
    public Runnable expired(Connection c, Job job, Instant now) {
        return () -> { };
    }
}
