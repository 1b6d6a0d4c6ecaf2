package org.puente.engine.work;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How one kind of work is claimed and retried.
 *
 * @param batchSize     jobs per batch (one peer request carries one batch of envelopes)
 * @param concurrency   batches the shared line performs at once (most urgent first; every lane but a reserved BULK)
 * @param maxBatchBytes what one batch may carry at most (a single larger job still goes alone)
 * @param lease         how long a claimed job stays reserved for the instance that took it
 * @param backoff       delays between attempts
 * @param reserved      batches in flight reserved for URGENT and for BULK jobs, beside the shared line's
 */
public record WorkSettings(int batchSize, int concurrency, long maxBatchBytes, Duration lease, Backoff backoff,
                           ReservedLanes reserved) {

    /**
     * Capacity reserved per lane: {@code urgent} batches that only URGENT jobs may occupy and
     * {@code bulk} batches that only BULK jobs may occupy (0: no reserved line for that lane).
     */
    public record ReservedLanes(int urgent, int bulk) {
        public static final ReservedLanes NONE = new ReservedLanes(0, 0);

        public ReservedLanes {
            if (urgent < 0 || bulk < 0) {
                throw new IllegalArgumentException("reserved batches cannot be negative");
            }
        }
    }

    public WorkSettings(int batchSize, int concurrency, long maxBatchBytes, Duration lease, Backoff backoff) {
        this(batchSize, concurrency, maxBatchBytes, lease, backoff, ReservedLanes.NONE);
    }

    public WorkSettings {
        if (batchSize < 1 || concurrency < 1 || maxBatchBytes < 1) {
            throw new IllegalArgumentException("batch size, concurrency and batch bytes must be positive");
        }
    }

    /**
     * The lines that drive this kind: the shared one, then one per reserved lane. With a BULK
     * line, the shared line leaves BULK to it.
     */
    public List<WorkLine> lines(WorkKind kind) {
        List<WorkLine> lines = new ArrayList<>(3);
        lines.add(reserved.bulk() > 0 ? WorkLine.shared(kind, Lane.NORMAL) : WorkLine.shared(kind));
        if (reserved.urgent() > 0) {
            lines.add(WorkLine.reserved(kind, Lane.URGENT));
        }
        if (reserved.bulk() > 0) {
            lines.add(WorkLine.reserved(kind, Lane.BULK));
        }
        return lines;
    }

    /** Batches one line performs at once. */
    public int concurrency(WorkLine line) {
        return line.reserved().map(l -> switch (l) {
            case URGENT -> reserved.urgent();
            case BULK -> reserved.bulk();
            case NORMAL -> throw new IllegalArgumentException("NORMAL has no reserved line");
        }).orElse(concurrency);
    }

    /** Batches of this kind in flight at once on every line together. */
    public int totalConcurrency() {
        return concurrency + reserved.urgent() + reserved.bulk();
    }

    /** Jobs one claim of a line may take: every batch that line may have in flight. */
    public int claimLimit(WorkLine line) {
        return batchSize * concurrency(line);
    }
}
