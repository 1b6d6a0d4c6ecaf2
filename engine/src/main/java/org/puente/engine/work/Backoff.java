package org.puente.engine.work;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": the delay doubles per attempt up to a cap, and half
 * of it is random so that many messages failed together do not retry together.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** The delay before attempt number {@code attempts + 1}, {@code attempts} having failed. */
    public Duration delay(int attempts) {
        long base = initial.toMillis();
        long cap = max.toMillis();
        long exp = attempts >= 30 ? cap : Math.min(cap, base << Math.max(0, attempts));
        long half = exp / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    public Instant next(Instant now, int attempts) {
        return now.plus(delay(attempts));
    }
}
