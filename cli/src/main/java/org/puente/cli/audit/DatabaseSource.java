package org.puente.cli.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import picocli.CommandLine.Option;

/**
 * A gateway's live database, opened read-only: the data folder of a gateway (the embedded SQLite
 * database, readable while the gateway runs), or a JDBC URL (PostgreSQL shared by running
 * instances). Nothing is migrated or written: the evidence is read as it is.
 */
public final class DatabaseSource {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data folder of a gateway (puente.data.dir), holding puente.db; read-only, also while it runs.")
    Path dataDir;

    @Option(names = "--db", paramLabel = "JDBC-URL", description = "jdbc:postgresql://host/db")
    String url;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "", description = "Database user (PostgreSQL).")
    String user;

    @Option(names = "--db-password-env", paramLabel = "VAR", defaultValue = "PUENTE_DB_PASSWORD",
            description = "Environment variable holding the database password (default ${DEFAULT-VALUE}).")
    String passwordEnv;

    boolean given() {
        return dataDir != null || url != null;
    }

    String describe() {
        return dataDir != null ? dataDir.toString() : url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    /** Opens the database read-only; the failure says which database and, for a data folder, the likely cause. */
    Connection open() throws SQLException {
        try {
            if (dataDir != null) {
                Path file = dataDir.resolve("puente.db");
                if (!Files.isRegularFile(file)) {
                    throw new SQLException("no gateway database (puente.db) in " + dataDir);
                }
                org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
                config.setReadOnly(true);
                config.setBusyTimeout(30_000);
                return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            }
            String password = System.getenv(passwordEnv);
            // as the gateway's own connections: text parameters untyped, so ids and times bind as text (audit.store.Jdbc)
            String jdbc = url.contains("stringtype=") ? url : url + (url.contains("?") ? "&" : "?") + "stringtype=unspecified";
            Connection c = DriverManager.getConnection(jdbc, user, password == null ? "" : password);
            c.setReadOnly(true);
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            throw new SQLException(describe() + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.split("\n")[0];
    }
}
