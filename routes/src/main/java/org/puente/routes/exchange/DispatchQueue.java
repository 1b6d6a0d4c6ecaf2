package org.puente.routes.exchange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.Semaphore;
import org.puente.routes.store.OutboxEntry;

/**
 * The fast path from a committed submission to the dispatcher of the same process: a message
 * accepted while there is room here is stored already reserved (leased) for this dispatcher and
 * handed over in memory, so it needs no claim query and no second write before it is sent. The
 * database stays the truth: what is not handed over here (no room, a crash, a lapsed lease) is
 * claimed from the outbox as before.
 *
 * <p>Most urgent first, then oldest. An entry whose lease may have lapsed is dropped instead of
 * sent: the outbox claim will take it, so it is never sent twice by this process.
 */
public final class DispatchQueue {
    private static final Comparator<Held> ORDER = Comparator.<Held>comparingInt(h -> h.entry().header().priority().rank())
            .thenComparing(h -> h.entry().createdAt());

    private record Held(OutboxEntry entry, Instant leaseUntil) {
    }

    private final PriorityBlockingQueue<Held> queue = new PriorityBlockingQueue<>(256, ORDER);
    private final Semaphore room;
    private final Duration lease;
    private final Duration margin;
    private final Clock clock;

    public DispatchQueue(int capacity, Duration lease, Clock clock) {
        this.room = new Semaphore(capacity);
        this.lease = lease;
        this.margin = lease.dividedBy(4);
        this.clock = clock;
    }

    /** Reserves a place before the message is stored; the caller stores it leased until the returned time, or null. */
    public Instant reserve() {
        return room.tryAcquire() ? clock.instant().plus(lease) : null;
    }

    /** Gives the place back when the store failed. */
    public void cancel() {
        room.release();
    }

    /** Hands a stored, leased message to the dispatcher. */
    public void handOver(OutboxEntry entry, Instant leaseUntil) {
        queue.add(new Held(entry, leaseUntil));
    }

    /** Takes up to {@code max} messages whose lease is safely ahead. */
    public List<OutboxEntry> take(int max) {
        List<OutboxEntry> taken = new ArrayList<>(Math.min(max, queue.size()));
        Instant safe = clock.instant().plus(margin);
        Held h;
        while (taken.size() < max && (h = queue.poll()) != null) {
            room.release();
            if (h.leaseUntil().isAfter(safe)) {
                taken.add(h.entry());
            }
        }
        return taken;
    }

    public int size() {
        return queue.size();
    }
}
