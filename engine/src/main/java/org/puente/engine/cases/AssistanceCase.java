package org.puente.engine.cases;

import java.time.Instant;
import java.util.UUID;

/**
 * A mutual-assistance case as this gateway keeps it.
 *
 * @param caseId       the request's message id (the same on both gateways)
 * @param role         {@code REQUESTING} (our agency asked) or {@code REQUESTED} (our agency is asked)
 * @param reference    the requesting administration's file number
 * @param ourAgency    our agency party, e.g. {@code US/ICE-HSI}
 * @param peerAgency   the other country's agency party
 * @param confirmBy    when an urgent request must be confirmed in writing by a first response, if set
 * @param respondBy    when the response is due (the request's date, or a deferral's)
 * @param dueAt        the next deadline the case has to meet; none once closed
 * @param state        {@code OPEN}, {@code DEFERRED} or {@code CLOSED}
 * @param outcome      the closing response's outcome (FULFILLED, PARTIAL, REFUSED)
 * @param overdueSince when the deadline in {@code dueAt} passed unmet
 */
public record AssistanceCase(UUID caseId, String role, String reference, String ourAgency, String peerAgency,
                             String legalBasis, String urgency, Instant confirmBy, Instant respondBy, Instant dueAt,
                             String state, String outcome, Instant openedAt, Instant closedAt, Instant overdueSince) {

    public boolean closed() {
        return CaseRows.CLOSED.equals(state);
    }
}
