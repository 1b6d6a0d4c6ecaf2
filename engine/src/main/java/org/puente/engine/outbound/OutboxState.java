package org.puente.engine.outbound;

/** Where an outbound message stands. Only {@code PENDING} messages are dispatched. */
public enum OutboxState {
    /** Accepted, waiting for its first send or its next retry. */
    PENDING,
    /** The peer gateway answered with a valid signed receipt. */
    RECEIPTED,
    /** The receiving agency has it (the peer sent a signed delivery notice). */
    DELIVERED,
    /** The peer refused it with a signed error (not retried), or it cannot be sealed. */
    FAILED,
    /** Its time-to-live ran out before a receipt came (dead letter). */
    EXPIRED
}
