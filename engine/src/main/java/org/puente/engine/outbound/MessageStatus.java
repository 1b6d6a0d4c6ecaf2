package org.puente.engine.outbound;

/**
 * The statuses an agency sees for a message it submitted, in the order they normally come.
 * {@code ANSWERED} (the receiving agency's business answer) may come before or after
 * {@code DELIVERED}: an agency may answer before it acknowledges. {@code CANCELLED} or
 * {@code REPLACED} may come at any point after {@code ACCEPTED}.
 */
public enum MessageStatus {
    ACCEPTED, SENT, RECEIPTED, DELIVERED, ANSWERED, FAILED, EXPIRED,
    /** The sending agency withdrew it: cancelled, or replaced by another message (detail: the reason). */
    CANCELLED, REPLACED
}
