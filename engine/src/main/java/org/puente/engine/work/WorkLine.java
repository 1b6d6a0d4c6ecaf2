package org.puente.engine.work;

import java.util.Locale;
import java.util.Optional;

/**
 * One driver of a kind of work, with batches of its own in flight. The shared line takes the
 * lanes from URGENT down to {@code lowest}, most urgent first; a reserved line takes only its own
 * lane, so that lane has capacity no other lane can occupy: an URGENT job never waits for a slot
 * behind NORMAL or BULK batches in flight, and BULK jobs go on moving while URGENT and NORMAL
 * keep the shared line busy. Where BULK has a line of its own, the shared line leaves BULK to it
 * ({@code lowest} NORMAL): a BULK flood then occupies only its reserved capacity, and URGENT keeps
 * the machine's CPU to itself nearly as when idle (docs/BENCHMARKS.md, "Priority lanes").
 *
 * @param kind     the kind of work
 * @param reserved the lane this line is reserved for; empty for the shared line
 * @param lowest   the least urgent lane this line takes
 */
public record WorkLine(WorkKind kind, Optional<Lane> reserved, Lane lowest) {

    public WorkLine {
        if (reserved.filter(l -> l == Lane.NORMAL).isPresent()) {
            throw new IllegalArgumentException("NORMAL is the shared line's own lane; only URGENT and BULK are reserved");
        }
        if (reserved.isPresent() && reserved.get() != lowest) {
            throw new IllegalArgumentException("a reserved line takes its own lane only");
        }
    }

    /** The shared line taking every lane. */
    public static WorkLine shared(WorkKind kind) {
        return new WorkLine(kind, Optional.empty(), Lane.BULK);
    }

    /** The shared line taking the lanes from URGENT down to {@code lowest}. */
    public static WorkLine shared(WorkKind kind, Lane lowest) {
        return new WorkLine(kind, Optional.empty(), lowest);
    }

    public static WorkLine reserved(WorkKind kind, Lane lane) {
        return new WorkLine(kind, Optional.of(lane), lane);
    }

    /** A name for threads, routes and logs: {@code peer-envelope}, {@code peer-envelope-urgent}. */
    public String name() {
        String k = kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
        return reserved.map(l -> k + "-" + l.name().toLowerCase(Locale.ROOT)).orElse(k);
    }
}
