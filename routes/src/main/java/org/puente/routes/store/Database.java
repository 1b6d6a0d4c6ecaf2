package org.puente.routes.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The gateway's database: embedded H2 in a data directory by default, PostgreSQL when a JDBC URL
 * is configured. Migrates the schema with Flyway on open.
 *
 * <p>Implementation note (durability): H2 in file mode does not fsync on commit, and MVStore may
 * keep recent commits in memory for up to its write delay, which a {@code kill -9} can lose.
 * {@link #makeDurable(Connection)} runs {@code CHECKPOINT SYNC}, which writes every committed
 * change to the file and forces it to the device; {@link Transactions} calls it once per group of
 * commits before any caller is told its write succeeded, so a 202 means "on disk" without paying
 * one fsync per message. PostgreSQL with {@code synchronous_commit=on} is durable at commit.
 */
public final class Database implements AutoCloseable {
    private final DataSource dataSource;
    private final JdbcConnectionPool pool;
    private final Dialect dialect;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(JdbcConnectionPool pool, Dialect dialect, String description) {
        this.pool = pool;
        this.dataSource = pool;
        this.dialect = dialect;
        this.description = description;
    }

    /** The embedded H2 database in {@code dataDir}. */
    public static Database embedded(Path dataDir, int maxConnections) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.data.dir cannot be created: " + dataDir);
        }
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("puente") + ";DB_CLOSE_ON_EXIT=FALSE";
        return h2(url, "", "", maxConnections);
    }

    /** A database given by JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql:...}). */
    public static Database of(String url, String user, String password, int maxConnections) {
        if (url.startsWith("jdbc:h2:")) {
            return h2(url, user, password, maxConnections);
        }
        PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
        pg.setURL(url);
        pg.setUser(user);
        pg.setPassword(password);
        return open(pg, Dialect.POSTGRESQL, maxConnections, redact(url));
    }

    private static Database h2(String url, String user, String password, int maxConnections) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser(user);
        h2.setPassword(password);
        return open(h2, Dialect.H2, maxConnections, redact(url));
    }

    private static Database open(ConnectionPoolDataSource source, Dialect dialect, int maxConnections, String description) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(source);
        pool.setMaxConnections(maxConnections);
        Database db = new Database(pool, dialect, description);
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration/common")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            db.close();
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "the database " + description
                    + " cannot be opened or migrated: " + firstLine(e.getMessage()));
        }
        return db;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Where the data is, without credentials (for logs and health). */
    public String description() {
        return description;
    }

    /** Forces every committed change to stable storage (H2); a no-op on PostgreSQL. */
    public void makeDurable(Connection connection) throws SQLException {
        if (dialect == Dialect.H2) {
            try (Statement st = connection.createStatement()) {
                st.execute("CHECKPOINT SYNC");
            }
        }
    }

    /** Whether the database answers (for health checks). */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException | IllegalStateException e) {
            // IllegalStateException: the pool was disposed (closed), which is no answer either
            return false;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (dialect == Dialect.H2) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            } catch (SQLException e) {
                // already closed: nothing to flush
            }
        }
        pool.dispose();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}
