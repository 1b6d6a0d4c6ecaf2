package org.puente.engine.outbound;

/** The statuses an agency sees for a message it submitted, in the order they normally come. */
public enum MessageStatus {
    ACCEPTED, SENT, RECEIPTED, DELIVERED, FAILED, EXPIRED
}
