package org.puente.engine.work;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.puente.engine.store.Transactions;
import org.puente.model.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that runs the queue: claims due jobs of a kind as batches, has the kind's
 * {@link Worker} perform a batch, and records every outcome — the worker's transition together
 * with the job's end (done, retried with backoff, failed) — in one durable group. Jobs whose time
 * ran out become dead letters with the worker's expiry transition. A framework drives it (the
 * routes module: a timer and a wake-up per kind); it has no threads of its own.
 */
public final class WorkRunner {
    private static final Logger LOG = LoggerFactory.getLogger(WorkRunner.class);
    private static final int SWEEP_LIMIT = 200;

    private final Transactions tx;
    private final WorkQueue queue;
    private final String owner;
    private final Clock clock;
    private final Map<WorkKind, Worker> workers = new EnumMap<>(WorkKind.class);
    private final Map<WorkKind, WorkSettings> settings = new EnumMap<>(WorkKind.class);
    private volatile WorkListener listener = WorkListener.NONE;

    /** Observes the queue (metrics). */
    public interface WorkListener {
        void claimed(WorkKind kind, int jobs);

        void ended(Outcome outcome);

        void expired(Job job);

        WorkListener NONE = new WorkListener() {
            @Override
            public void claimed(WorkKind kind, int jobs) {
            }

            @Override
            public void ended(Outcome outcome) {
            }

            @Override
            public void expired(Job job) {
            }
        };
    }

    /** Jobs one line claimed together, performed as one batch. */
    public record Batch(WorkLine line, List<Job> jobs) {
        public WorkKind kind() {
            return line.kind();
        }
    }

    /** @param owner this instance's name in leases */
    public WorkRunner(Transactions tx, WorkQueue queue, String owner, Clock clock) {
        this.tx = tx;
        this.queue = queue;
        this.owner = owner;
        this.clock = clock;
    }

    public WorkRunner register(Worker worker, WorkSettings workSettings) {
        workers.put(worker.kind(), worker);
        settings.put(worker.kind(), workSettings);
        return this;
    }

    public void setListener(WorkListener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    public boolean handles(WorkKind kind) {
        return workers.containsKey(kind);
    }

    public WorkSettings settings(WorkKind kind) {
        return settings.get(kind);
    }

    public String owner() {
        return owner;
    }

    /** Single-process start-up (embedded database): the leases of the previous run are void. */
    public void releaseStaleLeases() {
        tx.write(queue::releaseAllLeases);
    }

    /**
     * Start-up of a named instance on a shared database that holds its name ({@link LeaseOwner}):
     * the leases of its earlier runs ({@code instance}, the prefix of their owners and of this one's)
     * are void, so the jobs a killed run had claimed are taken at once, not when their leases lapse;
     * the other instances' stay.
     */
    public int releaseLeasesOfEarlierRuns(String instance) {
        if (!owner.startsWith(instance)) {
            throw new IllegalArgumentException("this runner's owner " + owner + " is not of instance " + instance);
        }
        int released = tx.write(c -> queue.releaseLeases(c, instance, owner));
        LOG.info("instance {} holds its name on the database: {} job(s) its earlier runs had claimed are free again",
                instance, released);
        return released;
    }

    /** The lines that drive a registered kind: its shared line and one per reserved lane. */
    public List<WorkLine> lines(WorkKind kind) {
        return settings.get(kind).lines(kind);
    }

    /** Claims what is due on one line, as batches (at most the line's concurrency). */
    public List<Batch> claim(WorkLine line) {
        WorkSettings s = settings.get(line.kind());
        Instant now = clock.instant();
        List<List<Job>> claimed = tx.write(c -> queue.claim(c, line, s.batchSize(), s.concurrency(line), s.maxBatchBytes(),
                owner, now.plus(s.lease()), now));
        if (claimed.isEmpty()) {
            return List.of();
        }
        listener.claimed(line.kind(), claimed.stream().mapToInt(List::size).sum());
        return claimed.stream().map(b -> new Batch(line, b)).toList();
    }

    /** Whether a claim took as much as its line could (more is probably due: claim again at once). */
    public boolean wasFull(List<Batch> batches) {
        if (batches.isEmpty()) {
            return false;
        }
        WorkLine line = batches.get(0).line();
        WorkSettings s = settings.get(line.kind());
        return batches.size() >= s.concurrency(line) || batches.stream().mapToInt(b -> b.jobs().size()).sum()
                >= s.claimLimit(line);
    }

    /**
     * Performs one batch and records its outcomes. Jobs whose time ran out are not performed:
     * they become dead letters. Returns how many jobs ended (done, failed or dead).
     */
    public int run(Batch batch) {
        Worker worker = workers.get(batch.kind());
        Instant now = clock.instant();
        List<Job> live = new ArrayList<>(batch.jobs().size());
        List<Job> late = new ArrayList<>();
        for (Job j : batch.jobs()) {
            (now.isBefore(j.expiresAt()) ? live : late).add(j);
        }
        int ended = bury(worker, late, now);
        if (live.isEmpty()) {
            return ended;
        }
        List<Outcome> outcomes;
        try {
            outcomes = worker.perform(live);
        } catch (RuntimeException e) {
            // a worker that fails outright (a bug, a batch too large for memory) must not hold its jobs until
            // their leases lapse and then take them first again: each is retried after its backoff instead
            LOG.error("a batch of {} {} jobs failed: {}", live.size(), batch.kind(), e.toString());
            String detail = "the worker failed: " + e.getClass().getSimpleName();
            outcomes = live.stream().<Outcome>map(j -> Outcome.retry(j, ErrorCode.INTERNAL_ERROR, detail)).toList();
        }
        return ended + record(batch.kind(), outcomes);
    }

    /** Buries the waiting jobs of one kind whose time ran out (also while nothing is claimed, e.g. suspended). */
    public int sweepExpired(WorkKind kind) {
        Worker worker = workers.get(kind);
        Instant now = clock.instant();
        List<Job> late = tx.read(c -> queue.expired(c, kind, now, SWEEP_LIMIT));
        return bury(worker, late, now);
    }

    private int bury(Worker worker, List<Job> late, Instant now) {
        if (late.isEmpty()) {
            return 0;
        }
        List<Transactions.Work<Runnable>> units = new ArrayList<>(late.size());
        for (Job j : late) {
            units.add(c -> {
                if (!queue.bury(c, j, owner, ErrorCode.MESSAGE_EXPIRED, "its time ran out before it was done", now)) {
                    return null;
                }
                return worker.expired(c, j, now);
            });
        }
        int buried = 0;
        List<Transactions.Outcome<Runnable>> results = tx.writeAll(units);
        for (int i = 0; i < results.size(); i++) {
            Transactions.Outcome<Runnable> r = results.get(i);
            if (r.failure() != null) {
                LOG.error("a {} job could not be moved to the dead letters: {}", late.get(i).kind(), r.failure().errorCode().code());
            } else if (r.value() != null) {
                r.value().run();
                listener.expired(late.get(i));
                buried++;
            }
        }
        return buried;
    }

    private int record(WorkKind kind, List<Outcome> outcomes) {
        WorkSettings s = settings.get(kind);
        Instant now = clock.instant();
        List<Transactions.Work<Runnable>> units = new ArrayList<>(outcomes.size());
        for (Outcome o : outcomes) {
            units.add(c -> {
                Runnable after = o.record().write(c);
                if (o instanceof Outcome.Retry r) {
                    Instant next = s.backoff().next(now, r.job().attempts());
                    if (next.isAfter(r.job().expiresAt())) {
                        next = r.job().expiresAt();
                    }
                    queue.retry(c, r.job(), owner, next, r.code(), r.detail(), now);
                } else {
                    queue.done(c, o.job());
                }
                return after;
            });
        }
        int ended = 0;
        List<Transactions.Outcome<Runnable>> results = tx.writeAll(units);
        for (int i = 0; i < results.size(); i++) {
            Transactions.Outcome<Runnable> r = results.get(i);
            Outcome o = outcomes.get(i);
            if (r.failure() != null) {
                // the job keeps its lease until it lapses, then it is taken again: nothing is lost
                LOG.error("the outcome of a {} job could not be recorded: {}", kind, r.failure().errorCode().code());
                continue;
            }
            r.value().run();
            listener.ended(o);
            if (!(o instanceof Outcome.Retry)) {
                ended++;
            }
        }
        return ended;
    }
}
