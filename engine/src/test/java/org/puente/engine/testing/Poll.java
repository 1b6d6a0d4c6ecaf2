package org.puente.engine.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for an asynchronous outcome by polling a condition, never by sleeping a fixed time and
 * hoping. The wait is bounded; the caller asserts the outcome.
 */
public final class Poll {
    private Poll() {
    }

    public static <T> Optional<T> until(Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent() || System.nanoTime() > deadline) {
                return v;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
