package org.puente.model.answer;

/**
 * What the receiving agency made of a message, as opposed to the transport's receipt and
 * delivery notice (which say only that the message arrived). The vocabulary follows UN/CEFACT's
 * application acknowledgement and the IPPC ePhyto hub's delivery statuses.
 */
public enum BusinessStatus {
    /** Taken into the agency's system as it is. */
    ACCEPTED,
    /** Taken in; the reasons say what the sender should correct in later messages. */
    ACCEPTED_WITH_WARNINGS,
    /** The agency could not process it (its content, not its transport); the reasons say why. */
    NOT_READABLE,
    /** The agency refuses it; the reasons say why. */
    REFUSED;

    /** Whether an answer with this status must give at least one reason. */
    public boolean needsReasons() {
        return this != ACCEPTED;
    }
}
