package org.puente.engine.work;

import java.time.Duration;

/**
 * How one kind of work is claimed and retried.
 *
 * @param batchSize     jobs per batch (one peer request carries one batch of envelopes)
 * @param concurrency   batches performed at once
 * @param maxBatchBytes what one batch may carry at most (a single larger job still goes alone)
 * @param lease         how long a claimed job stays reserved for the instance that took it
 * @param backoff       delays between attempts
 */
public record WorkSettings(int batchSize, int concurrency, long maxBatchBytes, Duration lease, Backoff backoff) {

    /** Jobs one claim may take: every batch that may be in flight. */
    public int claimLimit() {
        return batchSize * concurrency;
    }

    public WorkSettings {
        if (batchSize < 1 || concurrency < 1 || maxBatchBytes < 1) {
            throw new IllegalArgumentException("batch size, concurrency and batch bytes must be positive");
        }
    }
}
