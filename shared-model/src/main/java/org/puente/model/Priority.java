package org.puente.model;

/** Dispatch priority: URGENT messages leave before NORMAL ones, NORMAL before BULK. */
public enum Priority {
    URGENT,
    NORMAL,
    BULK;

    /** Smaller ranks are dispatched first (stored in the outbox so the database can order by it). */
    public int rank() {
        return ordinal();
    }
}
