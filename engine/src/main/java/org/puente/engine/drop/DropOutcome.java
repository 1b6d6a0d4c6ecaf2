package org.puente.engine.drop;

/** What became of one dropped file. */
public enum DropOutcome {
    /** Submitted: moved to {@code processed/} with its receipt. */
    ACCEPTED,
    /** Submitted before (same name and content, e.g. before a crash): moved to {@code processed/} with the first message id. */
    REPLAYED,
    /** Refused: moved to {@code rejected/} with its reason file. */
    REJECTED,
    /** The gateway cannot take work now (not ready, overloaded, database): left in place for the next scan. */
    RETRY_LATER,
    /** Gone before it could be read, or not in the folder: nothing done. */
    SKIPPED
}
