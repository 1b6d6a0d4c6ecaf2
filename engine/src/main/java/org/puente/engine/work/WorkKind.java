package org.puente.engine.work;

/**
 * Every kind of work that leaves a gateway. Each is a job type of the one queue ({@link WorkQueue})
 * with a {@link Worker} that performs it; adding a kind adds a worker, not a loop.
 */
public enum WorkKind {
    /** An accepted message's sealed envelope, to the peer gateway (ref: message id). */
    PEER_ENVELOPE(true),
    /** A signed delivery notice for a message our agency acknowledged, to the peer (ref: message id). */
    DELIVERY_NOTICE(true),
    /** A signed business answer our agency gave to a received message, to the peer (ref: message id). */
    BUSINESS_ANSWER(true),
    /** A signed notice that our agency cancelled or replaced a message it sent, to the peer (ref: message id). */
    WITHDRAWAL_NOTICE(true),
    /** The daily reconciliation of a day's audit log with the peer's (ref: the day, yyyy-mm-dd). */
    RECONCILIATION(true),
    /** A received message, POSTed to the receiving agency's own endpoint (ref: message id). */
    AGENCY_PUSH(false),
    /** A received message, written to the receiving agency's outbound drop folder (ref: message id). */
    DROP_FILE(false),
    /** A mutual-assistance case's deadline, checked when it comes (ref: case id, {@code @}, deadline in epoch ms). */
    CASE_DEADLINE(false);

    private final boolean towardsPeer;

    WorkKind(boolean towardsPeer) {
        this.towardsPeer = towardsPeer;
    }

    /** Whether it travels over the peer link: held while an operator has suspended delivery to the peer. */
    public boolean towardsPeer() {
        return towardsPeer;
    }
}
