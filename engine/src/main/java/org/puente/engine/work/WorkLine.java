package org.puente.engine.work;

import java.util.Locale;
import java.util.Optional;

/**
 * One driver of a kind of work, with batches of its own in flight. The shared line takes every
 * lane, most urgent first; a reserved line takes only its own lane, so that lane has capacity no
 * other lane can occupy: an URGENT job never waits for a slot behind NORMAL or BULK batches in
 * flight, and BULK jobs go on moving while URGENT and NORMAL keep the shared line busy.
 *
 * @param kind     the kind of work
 * @param reserved the lane this line is reserved for; empty for the shared line
 */
public record WorkLine(WorkKind kind, Optional<Lane> reserved) {

    public WorkLine {
        if (reserved.filter(l -> l == Lane.NORMAL).isPresent()) {
            throw new IllegalArgumentException("NORMAL is the shared line's own lane; only URGENT and BULK are reserved");
        }
    }

    public static WorkLine shared(WorkKind kind) {
        return new WorkLine(kind, Optional.empty());
    }

    public static WorkLine reserved(WorkKind kind, Lane lane) {
        return new WorkLine(kind, Optional.of(lane));
    }

    /** A name for threads, routes and logs: {@code peer-envelope}, {@code peer-envelope-urgent}. */
    public String name() {
        String k = kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
        return reserved.map(l -> k + "-" + l.name().toLowerCase(Locale.ROOT)).orElse(k);
    }
}
