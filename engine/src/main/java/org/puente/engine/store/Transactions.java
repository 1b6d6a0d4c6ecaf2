package org.puente.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.puente.audit.store.Dialect;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the gateway's writes: every state change and its audit event as one unit of work, and
 * units from many threads grouped into one transaction and one sync to disk (group commit).
 *
 * <p>Implementation note: one writer thread per gateway process executes all units in arrival
 * order, each inside its own savepoint, so one failing unit (a duplicate key, a validation
 * failure discovered in the store) is rolled back alone while the rest of the group commits. A
 * caller returns only after the group's commit has returned, and a returned commit is on disk
 * ({@link Database}): a success seen by a caller is on disk, and one fsync serves the group. Units must be short and must not do cryptography or I/O
 * other than SQL: sign before, write here. Several instances sharing PostgreSQL stay correct
 * because conflicts are caught by constraints and row locks, not by this thread.
 */
public final class Transactions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    /** One unit of work on a connection inside the group's transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private record Pending<T>(Work<T> work, CompletableFuture<T> result) {
    }

    private final Database database;
    private final int maxGroup;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /**
     * Callers enqueue under the read side, {@link #close} stops under the write side: once close
     * has flipped {@code running}, nothing more enters the queue, so the writer's last drain sees
     * every unit and no caller waits for an answer that never comes.
     */
    private final java.util.concurrent.locks.ReadWriteLock admission = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private final Thread writer;
    private volatile GroupListener listener = (units, nanos) -> { };
    private final List<GroupParticipant> participants = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Observes each committed group (for metrics). */
    @FunctionalInterface
    public interface GroupListener {
        void committed(int units, long nanos);
    }

    public Transactions(Database database, int maxGroup) {
        this.database = database;
        this.maxGroup = maxGroup;
        this.writer = new Thread(this::writeLoop, "puente-store-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    public void setListener(GroupListener listener) {
        this.listener = listener;
    }

    /**
     * Takes part in every group on the writer thread: told when a group begins, how each unit
     * ended, and given the last word before the commit (the audit chain appends there).
     */
    public interface GroupParticipant {
        void groupStarted(Connection connection);

        /** {@code kept}: the unit succeeded; otherwise it was rolled back to its savepoint. */
        void unitEnded(boolean kept);

        /** Runs after the last unit, inside the group's transaction; a failure fails the whole group. */
        void beforeCommit(Connection connection) throws SQLException;

        void groupEnded(boolean committed);
    }

    public void addParticipant(GroupParticipant participant) {
        participants.add(participant);
    }

    public Database database() {
        return database;
    }

    /** Runs {@code work} in the next group; returns once it is committed and durable. */
    public <T> T write(Work<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        enqueue(List.of(new Pending<>(work, result)));
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PuenteException(ErrorCode.STORE_UNAVAILABLE, e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** The result of one unit of {@link #writeAll}: a value, or the failure that rolled it back. */
    public record Outcome<T>(T value, PuenteException failure) {
    }

    /**
     * Runs every unit in the same group when possible (one sync for all); each succeeds or fails
     * on its own. Returns once all are durable or failed.
     */
    public <T> List<Outcome<T>> writeAll(List<Work<T>> works) {
        List<CompletableFuture<T>> futures = new ArrayList<>(works.size());
        List<Pending<?>> pending = new ArrayList<>(works.size());
        for (Work<T> w : works) {
            CompletableFuture<T> f = new CompletableFuture<>();
            futures.add(f);
            pending.add(new Pending<>(w, f));
        }
        enqueue(pending);
        List<Outcome<T>> outcomes = new ArrayList<>(works.size());
        for (CompletableFuture<T> f : futures) {
            try {
                outcomes.add(new Outcome<>(f.get(), null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcomes.add(new Outcome<>(null, new PuenteException(ErrorCode.STORE_UNAVAILABLE, e)));
            } catch (ExecutionException e) {
                RuntimeException r = rethrow(e.getCause());
                outcomes.add(new Outcome<>(null, r instanceof PuenteException pe ? pe
                        : new PuenteException(ErrorCode.INTERNAL_ERROR, r, "store")));
            }
        }
        return outcomes;
    }

    private void enqueue(List<Pending<?>> pending) {
        admission.readLock().lock();
        try {
            if (!running.get()) {
                throw new PuenteException(ErrorCode.STORE_UNAVAILABLE);
            }
            queue.addAll(pending);
        } finally {
            admission.readLock().unlock();
        }
    }

    /**
     * Runs a read on its own connection, outside the write groups, in one transaction that sees one
     * state of the store: a unit that commits while the read runs shows in all of its statements or
     * in none. SQLite's WAL gives a read transaction one snapshot; PostgreSQL needs repeatable read
     * for it (read committed takes a new snapshot for every statement), set for this transaction
     * alone and read-only, so that the pooled connection keeps its defaults and a read cannot write.
     */
    public <T> T read(Work<T> work) {
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            if (database.dialect() == Dialect.POSTGRESQL) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
            }
            T result = work.run(c); // a failed read is rolled back by the pool as the connection returns
            c.commit();
            return result;
        } catch (SQLException e) {
            throw new PuenteException(ErrorCode.STORE_UNAVAILABLE, e);
        }
    }

    private void writeLoop() {
        List<Pending<?>> group = new ArrayList<>(maxGroup);
        while (running.get() || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                runGroup(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                group.clear();
            }
        }
        for (Pending<?> p; (p = queue.poll()) != null; ) {
            p.result().completeExceptionally(new PuenteException(ErrorCode.STORE_UNAVAILABLE));
        }
    }

    private void runGroup(List<Pending<?>> group) {
        long start = System.nanoTime();
        List<Object> results = new ArrayList<>(group.size());
        List<Throwable> failures = new ArrayList<>(group.size());
        boolean committed = false;
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            participants.forEach(p -> p.groupStarted(c));
            try {
                for (Pending<?> p : group) {
                    Savepoint sp = c.setSavepoint();
                    try {
                        Object value = p.work().run(c);
                        // PostgreSQL keeps a subtransaction per open savepoint until commit: release it
                        c.releaseSavepoint(sp);
                        results.add(value);
                        failures.add(null);
                        participants.forEach(x -> x.unitEnded(true));
                    } catch (SQLException | RuntimeException e) {
                        c.rollback(sp);
                        results.add(null);
                        failures.add(e);
                        participants.forEach(x -> x.unitEnded(false));
                    }
                }
                for (GroupParticipant p : participants) {
                    p.beforeCommit(c);
                }
                c.commit();
                committed = true;
            } catch (SQLException | RuntimeException e) {
                // release every lock of the failed group before the connection goes back to the pool
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.error("store write group of {} failed: {}", group.size(), e.toString());
            PuenteException failure = new PuenteException(ErrorCode.STORE_UNAVAILABLE, e);
            group.forEach(p -> p.result().completeExceptionally(failure));
            return;
        } finally {
            boolean done = committed;
            participants.forEach(p -> p.groupEnded(done));
        }
        listener.committed(group.size(), System.nanoTime() - start);
        for (int i = 0; i < group.size(); i++) {
            complete(group.get(i), results.get(i), failures.get(i));
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: closing it ends the transaction on the server
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Object result, Throwable failure) {
        if (failure != null) {
            p.result().completeExceptionally(failure);
        } else {
            p.result().complete((T) result);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof PuenteException pe) {
            return pe;
        }
        if (cause instanceof SQLException) {
            return new PuenteException(ErrorCode.STORE_UNAVAILABLE, cause);
        }
        return new PuenteException(ErrorCode.INTERNAL_ERROR, cause, "store");
    }

    @Override
    public void close() {
        admission.writeLock().lock();
        try {
            running.set(false);
        } finally {
            admission.writeLock().unlock();
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
