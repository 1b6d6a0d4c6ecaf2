package org.puente.engine.work;

import org.puente.model.Priority;

/** Claim order within a kind of work: URGENT jobs are taken before NORMAL ones, NORMAL before BULK. */
public enum Lane {
    URGENT,
    NORMAL,
    BULK;

    public static Lane of(Priority priority) {
        return values()[priority.rank()];
    }
}
