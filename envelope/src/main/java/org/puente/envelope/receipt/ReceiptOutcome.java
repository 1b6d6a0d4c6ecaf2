package org.puente.envelope.receipt;

/** What the receiving gateway did with an envelope. */
public enum ReceiptOutcome {
    /** Opened, verified and stored: the sender may stop retrying. */
    ACCEPTED,
    /** Refused with an error code: the code's category says whether sending again can help (it never can for security and validation errors). */
    REJECTED
}
