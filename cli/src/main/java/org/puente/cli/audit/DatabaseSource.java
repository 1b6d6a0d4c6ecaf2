package org.puente.cli.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import picocli.CommandLine.Option;

/**
 * A gateway's live database, opened read-only: the data folder of a stopped gateway (embedded
 * H2), or a JDBC URL (PostgreSQL shared by running instances, or an H2 file). Nothing is migrated
 * or written: the evidence is read as it is.
 */
public final class DatabaseSource {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data folder of a STOPPED gateway (puente.data.dir), holding puente.mv.db.")
    Path dataDir;

    @Option(names = "--db", paramLabel = "JDBC-URL", description = "jdbc:postgresql://host/db (or jdbc:h2:file:...).")
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
        String jdbc;
        if (dataDir != null) {
            if (!Files.isRegularFile(dataDir.resolve("puente.mv.db"))) {
                throw new SQLException("no gateway database (puente.mv.db) in " + dataDir);
            }
            jdbc = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("puente") + ";ACCESS_MODE_DATA=r";
        } else if (url.startsWith("jdbc:h2:")) {
            jdbc = url.contains("ACCESS_MODE_DATA") ? url : url + ";ACCESS_MODE_DATA=r";
        } else {
            jdbc = url;
        }
        try {
            String password = System.getenv(passwordEnv);
            Connection c = DriverManager.getConnection(jdbc, user, password == null ? "" : password);
            c.setReadOnly(true);
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            throw new SQLException(describe() + ": " + firstLine(e.getMessage())
                    + (dataDir != null ? " (a running gateway holds its data folder: stop it first, or export through the API)" : ""), e);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.split("\n")[0];
    }
}
