package org.puente.engine.admission;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * A number of bytes of heap shared by whatever holds part of it: a {@link Held} share is taken
 * before the bytes are, and given back once they are garbage. A share that does not fit now is
 * refused {@code overloaded}. One larger than the whole budget is refused {@code payload_too_large},
 * or, in a budget made {@link #admittingOneLarger}, taken while it is the only share held (and
 * then no other share is taken until it is given back).
 */
public final class ByteBudget {
    private final long capacity;
    private final boolean oneLarger;
    private final AtomicLong used = new AtomicLong();
    /** Notified whenever a share is given back, for {@link #holdWithin}. */
    private final Object givenBack = new Object();

    public ByteBudget(long capacity) {
        this(capacity, false);
    }

    private ByteBudget(long capacity, boolean oneLarger) {
        this.capacity = capacity;
        this.oneLarger = oneLarger;
    }

    /**
     * A budget that takes a share larger than itself while no other is held: what holds the
     * shares is bounded elsewhere (a listener's body limit), and the largest it allows must still
     * pass, alone. The heap the shares take is at most the larger of the two bounds.
     */
    public static ByteBudget admittingOneLarger(long capacity) {
        return new ByteBudget(capacity, true);
    }

    /**
     * Holds {@code bytes} until the share is closed.
     *
     * @throws PuenteException {@code payload_too_large} when the bytes are more than the whole
     *         budget (unless it admits one larger), {@code overloaded} when they are more than
     *         what is left of it now
     */
    public Held hold(long bytes) {
        take(bytes, bytes);
        return new Held(bytes);
    }

    /**
     * Holds {@code bytes} as {@link #hold} does, waiting up to {@code patience} for shares to be
     * given back when they do not fit now.
     *
     * @throws PuenteException {@code overloaded} when they still do not fit after {@code patience}
     *         (or the thread is interrupted), {@code payload_too_large} at once as {@link #hold}
     */
    public Held holdWithin(long bytes, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        synchronized (givenBack) {
            while (true) {
                try {
                    return hold(bytes); // tried again under the monitor: a share given back meanwhile is not missed
                } catch (PuenteException e) {
                    long left = deadline - System.nanoTime();
                    if (e.errorCode() != ErrorCode.OVERLOADED || left <= 0) {
                        throw e;
                    }
                    try {
                        givenBack.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }
    }

    /** Bytes held now. */
    public long used() {
        return used.get();
    }

    public long capacity() {
        return capacity;
    }

    /** Takes {@code bytes} for a share that will then hold {@code total}. */
    private void take(long bytes, long total) {
        if (bytes == 0) {
            return; // a request without a body takes nothing, and is never refused for what others hold
        }
        boolean larger = total > capacity;
        if (larger && !oneLarger) {
            throw new PuenteException(ErrorCode.PAYLOAD_TOO_LARGE, total, capacity);
        }
        // compare-and-set, not add-then-undo: a refused share never shows in the count, even for an instant
        long before;
        do {
            before = used.get();
            // a share larger than the budget fits only when what is held is its own
            boolean fits = larger ? before == total - bytes : before + bytes <= capacity;
            if (!fits) {
                throw new PuenteException(ErrorCode.OVERLOADED);
            }
        } while (!used.compareAndSet(before, before + bytes));
    }

    /** A share of the budget: it may grow while held, and gives everything back once, however often it is closed. */
    public final class Held implements AdmissionControl.Ticket {
        /** Bytes held; -1 once given back. */
        private volatile long bytes;

        private Held(long bytes) {
            this.bytes = bytes;
        }

        /**
         * Holds {@code more} bytes besides those held already.
         *
         * @throws PuenteException as {@link ByteBudget#hold}, for the share's new total; the share
         *         keeps what it held
         */
        public synchronized void grow(long more) {
            if (bytes < 0) {
                throw new IllegalStateException("the share was given back");
            }
            take(more, bytes + more);
            bytes += more;
        }

        /** Bytes this share holds. */
        public long bytes() {
            return Math.max(0, bytes);
        }

        @Override
        public synchronized void close() {
            if (bytes > 0) {
                used.addAndGet(-bytes);
                synchronized (givenBack) {
                    givenBack.notifyAll();
                }
            }
            bytes = -1;
        }
    }
}
