package org.puente.audit.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The cadence the verifier demands of checkpoints, besides their signatures and their chain: how
 * long a written entry may wait until a checkpoint vouches for it.
 *
 * <p>The rule: an entry may wait at most {@link #FACTOR} times the checkpoint interval — the one
 * signed in the checkpoint that finally vouches for it, or {@code defaultInterval} when none says
 * — or {@code maxGap} when an auditor sets it. The wait of a run of entries between two
 * checkpoints is measured from the later of the first entry's time and the earlier checkpoint's
 * signing time, so an idle gateway (no entries, no checkpoints) is never late. The entries after
 * the last checkpoint are judged by {@link Tail}: on a live gateway they must be recent (the newest
 * checkpoint is at most the allowed gap older than the oldest entry it does not cover), in an
 * export every entry must be covered (the exporter signs a checkpoint before it exports).
 *
 * <p>Implementation note: a gateway signs a checkpoint every interval while its chain grows and
 * whenever it stops cleanly, so an honest log never waits longer than about one interval;
 * three intervals leave room for a slow database or a missed tick. What the rule catches is a
 * log whose checkpoints were deleted so that its entries could be rewritten — the deleted ones
 * leave entries that waited too long — including the case where every checkpoint is gone and the
 * chain would otherwise verify from GENESIS with nothing vouching for it. A gateway that crashed
 * and stayed down longer than the allowed gap shows the same gap: it is reported, because the
 * evidence cannot tell the two apart; an auditor who knows of the outage can allow it with a
 * larger {@code maxGap}. The bound is in time that the log itself records: someone who can write
 * the database and acts within the allowed gap can still rewrite the entries no checkpoint has
 * covered yet (docs/audit.md, "Limits").
 *
 * @param defaultInterval the interval assumed where no checkpoint states one (no checkpoint yet,
 *                        or only legacy ones); null: no cadence is demanded there
 * @param maxGap          an auditor's bound on the wait, replacing {@code FACTOR} x interval; null: none
 * @param tail            what is demanded of the entries after the last checkpoint
 * @param now             the time a live log is judged at ({@link Tail#RECENT})
 */
public record CheckpointRules(Duration defaultInterval, Duration maxGap, Tail tail, Instant now) {
    /** How many checkpoint intervals an entry may wait for its checkpoint. */
    public static final int FACTOR = 3;

    /** What the verifier demands of the entries after the last checkpoint. */
    public enum Tail {
        /** A live gateway: the oldest entry not covered yet is younger than the allowed gap. */
        RECENT,
        /** An export (format 2) or archive: every entry is covered by a checkpoint in the file. */
        COVERED,
        /** Nothing (an export of format 1, made before checkpoints were chained). */
        ANY
    }

    public CheckpointRules {
        Objects.requireNonNull(tail);
        if (tail == Tail.RECENT) {
            Objects.requireNonNull(now, "a live log is judged at a time");
        }
    }

    /** The longest an entry may wait for a checkpoint signed with {@code signedInterval} (null: none stated); null: no bound. */
    public Duration allowedGap(Duration signedInterval) {
        if (maxGap != null) {
            return maxGap;
        }
        Duration interval = signedInterval != null ? signedInterval : defaultInterval;
        return interval == null ? null : interval.multipliedBy(FACTOR);
    }
}
