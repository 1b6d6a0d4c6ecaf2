package org.puente.engine.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A gateway's database being opened (and migrated) while the start reads its keystore, trust
 * anchors and revocation lists: on a fresh data folder the two took ~0.6 s each, one after the
 * other, on the start's critical path (docs/BENCHMARKS.md, "Cold start").
 *
 * <p>Only an embedded database, the gateway's own, is opened on a thread of its own
 * ({@code puente-database-open}): a shared PostgreSQL schema is migrated by a gateway only once its
 * keys have loaded, on the caller's thread in {@link #await}, as before, so that an instance
 * refused for its keystore never moves a schema other instances run on.
 */
public final class DatabaseOpening {
    private final Supplier<Database> open;
    private final CompletableFuture<Database> opened;

    private DatabaseOpening(Supplier<Database> open, CompletableFuture<Database> opened) {
        this.open = open;
        this.opened = opened;
    }

    /**
     * Starts {@code open} on a new thread when {@code beside} (an embedded database); otherwise
     * {@link #await} runs it.
     */
    public static DatabaseOpening start(boolean beside, Supplier<Database> open) {
        if (!beside) {
            return new DatabaseOpening(open, null);
        }
        return new DatabaseOpening(open, CompletableFuture.supplyAsync(open, task -> {
            Thread thread = new Thread(task, "puente-database-open");
            thread.setDaemon(true);
            thread.start();
        }));
    }

    /**
     * Runs {@code step} (the keystore's reading) while the database opens; if it fails, waits for
     * the opening and closes what it opened, so that the data folder's lock and connections are
     * not left behind, and throws the step's failure, a failure to open added as suppressed.
     */
    public <T> T whileOpening(Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException | Error e) {
            if (opened != null) {
                try {
                    await().close();
                } catch (RuntimeException | Error notOpened) {
                    e.addSuppressed(notOpened);
                }
            }
            throw e;
        }
    }

    /** The opened database; what opening it threw, as it was thrown, if it failed. */
    public Database await() {
        if (opened == null) {
            return open.get();
        }
        try {
            return opened.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
