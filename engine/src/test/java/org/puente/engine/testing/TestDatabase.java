package org.puente.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;
import org.puente.engine.store.Database;
import org.puente.engine.store.Transactions;

/**
 * A fresh, migrated database of one kind for one test, opened on first use and removed on close:
 * SQLite in a temporary folder, or a new database in the JVM's embedded PostgreSQL server. Parameterized
 * tests receive one of each through {@link OnBothDatabases}, and JUnit closes it after the test.
 */
public final class TestDatabase implements AutoCloseable {
    /** The databases the gateway runs on. */
    public enum Kind {
        SQLITE, POSTGRESQL
    }

    private final Kind kind;
    private Database database;
    private Transactions transactions;
    private Path dataDir;
    private String pgUrl;

    public TestDatabase(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The data directory of the embedded database (SQLite only; null before it is opened). */
    public synchronized Path dataDir() {
        return dataDir;
    }

    /** The migrated database (opened on the first call). */
    public synchronized Database database() {
        if (database == null) {
            database = open();
        }
        return database;
    }

    /** The gateway's group-commit writer over this database (started on the first call). */
    public synchronized Transactions tx() {
        if (transactions == null) {
            transactions = new Transactions(database(), 512);
        }
        return transactions;
    }

    /** A connection in auto-commit mode, for setting up and checking rows outside the writer. */
    public Connection connection() throws SQLException {
        Connection c = database().dataSource().getConnection();
        c.setAutoCommit(true);
        return c;
    }

    /**
     * A second connection pool on the same PostgreSQL database, as another gateway instance of the
     * same country opens it (the caller closes it). SQLite belongs to one process: refused there.
     */
    public synchronized Database openAnother() {
        if (kind != Kind.POSTGRESQL) {
            throw new IllegalStateException("only PostgreSQL is shared by several gateway instances");
        }
        database();
        return Database.postgres(pgUrl, EmbeddedPostgresServer.user(), "", 16);
    }

    /** Closes the writer and the database, then opens the same database again (a gateway restart). */
    public synchronized Database reopen() {
        if (transactions != null) {
            transactions.close();
            transactions = null;
        }
        database().close();
        database = kind == Kind.SQLITE ? Database.embedded(dataDir, 16)
                : Database.postgres(pgUrl, EmbeddedPostgresServer.user(), "", 16);
        return database;
    }

    private Database open() {
        if (kind == Kind.SQLITE) {
            try {
                dataDir = Files.createTempDirectory("puente-sqlite-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Database.embedded(dataDir, 16);
        }
        pgUrl = EmbeddedPostgresServer.createDatabase();
        return Database.postgres(pgUrl, EmbeddedPostgresServer.user(), "", 16);
    }

    @Override
    public synchronized void close() {
        if (transactions != null) {
            transactions.close();
        }
        if (database != null) {
            database.close();
        }
        if (pgUrl != null) {
            EmbeddedPostgresServer.dropDatabase(pgUrl);
        }
        if (dataDir != null) {
            delete(dataDir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.SQLITE ? "SQLite" : "PostgreSQL";
    }
}
