package org.puente.engine.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A database being opened (and migrated) on a thread of its own, so that a gateway's start reads
 * its keystore, trust anchors and revocation lists at the same time: on a fresh data folder the
 * two took ~0.6 s each, one after the other, on the start's critical path (docs/BENCHMARKS.md,
 * "Cold start"). {@link #await} hands the database over, or throws what opening it threw;
 * {@link #abandon} closes it once opened, for a start that failed elsewhere meanwhile, so that
 * its data-folder lock and connections are not left behind.
 */
public final class DatabaseOpening {
    private final CompletableFuture<Database> opened;

    private DatabaseOpening(CompletableFuture<Database> opened) {
        this.opened = opened;
    }

    /** Starts {@code open} on a new thread, {@code puente-database-open}. */
    public static DatabaseOpening start(Supplier<Database> open) {
        return new DatabaseOpening(CompletableFuture.supplyAsync(open, task -> {
            Thread thread = new Thread(task, "puente-database-open");
            thread.setDaemon(true);
            thread.start();
        }));
    }

    /** The opened database; what opening it threw, as it was thrown, if it failed. */
    public Database await() {
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

    /**
     * Waits for the opening to end and closes the database if it opened: the start failed for
     * {@code failure}, to which a failure to open is added as suppressed.
     */
    public void abandon(Throwable failure) {
        try {
            await().close();
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }
}
