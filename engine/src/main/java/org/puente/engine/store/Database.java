package org.puente.engine.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.puente.audit.store.Dialect;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The gateway's database: embedded SQLite in the data directory by default, PostgreSQL when a
 * JDBC URL is configured. Migrates the schema with Flyway on open (one folder of migrations per
 * dialect) and refuses settings under which a commit would not be on disk.
 *
 * <p>Implementation note (durability). A 202, a receipt or a notice leaves only after the commit
 * that records it has returned ({@link Transactions}), so the contract rests on what a returned
 * commit means:
 * <ul>
 *   <li>SQLite runs in WAL mode with {@code synchronous=FULL}: the commit appends the transaction
 *       to the write-ahead log and fsyncs it before it returns, so it survives a SIGKILL of the
 *       process and a power cut (given a disk that honours flushes). The previous default, H2
 *       2.5 in file mode, lost acknowledged commits after a SIGKILL even with {@code CHECKPOINT
 *       SYNC} after every group and its background writer turned off (docs/architecture.md,
 *       "Durability").</li>
 *   <li>PostgreSQL is durable at commit with {@code synchronous_commit} on (or {@code local},
 *       {@code remote_write}, {@code remote_apply}) and {@code fsync} on; the gateway refuses to
 *       start otherwise.</li>
 * </ul>
 * One group of units shares one commit, hence one fsync ({@link Transactions}).
 */
public final class Database implements AutoCloseable {
    private static final String FILE = "puente.db";

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final String description;
    private final DataDirectoryLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile InstanceName instanceName;

    private Database(HikariDataSource dataSource, Dialect dialect, String description, DataDirectoryLock lock) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.description = description;
        this.lock = lock;
    }

    /** The embedded SQLite database in {@code dataDir}, owned by this process alone. */
    public static Database embedded(Path dataDir, int readers) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.data.dir cannot be created: " + dataDir);
        }
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
        Path file = dataDir.toAbsolutePath().resolve(FILE);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(30_000);
        config.enforceForeignKeys(true);
        // Every unit of a group runs in its own savepoint (Transactions), and SQLite keeps the
        // pages a savepoint changed in a statement journal, by default a temporary file past
        // 64 KiB: under load that file took two thirds of the store writer's writes. The journal
        // only rolls a unit back inside an open transaction; durability rests on the WAL alone.
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file);
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(sqlite);
        pool.setPoolName("puente-sqlite");
        pool.setMaximumPoolSize(Math.max(2, readers));
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(30_000);
        try {
            return open(new HikariDataSource(pool), Dialect.SQLITE, file.toString(), lock);
        } catch (RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    /** The PostgreSQL database at {@code url}, shared by every gateway instance of the country. */
    public static Database postgres(String url, String user, String password, int poolSize) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(url);
        pg.setUser(user);
        pg.setPassword(password);
        // Text parameters are sent untyped, so that the text forms Jdbc binds (times, ids) fill
        // timestamptz and uuid columns: one text of every statement for both dialects.
        pg.setStringType("unspecified");
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(pg);
        pool.setPoolName("puente-postgresql");
        pool.setMaximumPoolSize(poolSize);
        pool.setConnectionTimeout(30_000);
        HikariDataSource source;
        try {
            source = new HikariDataSource(pool);
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "the database " + redact(url)
                    + " cannot be opened: " + firstLine(e.getMessage()));
        }
        return open(source, Dialect.POSTGRESQL, redact(url), null);
    }

    private static Database open(HikariDataSource source, Dialect dialect, String description, DataDirectoryLock lock) {
        Database db = new Database(source, dialect, description, lock);
        try {
            if (dialect == Dialect.POSTGRESQL) {
                requireDurableCommits(source);
            }
            Flyway.configure()
                    .dataSource(source)
                    .locations("classpath:db/migration/" + dialect.name().toLowerCase(Locale.ROOT))
                    .load()
                    .migrate();
        } catch (PuenteException e) {
            db.close();
            throw e;
        } catch (RuntimeException e) {
            db.close();
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "the database " + description
                    + " cannot be opened or migrated: " + firstLine(e.getMessage()));
        }
        return db;
    }

    /** A commit PostgreSQL acknowledges must be flushed to its disk: refuse to run on settings that skip it. */
    private static void requireDurableCommits(DataSource source) {
        try (Connection c = source.getConnection(); Statement st = c.createStatement()) {
            String commit = show(st, "synchronous_commit");
            String fsync = show(st, "fsync");
            if ("off".equalsIgnoreCase(commit) || !"on".equalsIgnoreCase(fsync)) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.db.url: the PostgreSQL server runs with"
                        + " synchronous_commit=" + commit + " and fsync=" + fsync + "; a commit would not be on disk"
                        + " when the gateway answers (set synchronous_commit=on and fsync=on)");
            }
        } catch (SQLException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "the database cannot be opened: "
                    + firstLine(e.getMessage()));
        }
    }

    private static String show(Statement st, String setting) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
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

    /**
     * Takes the name of one gateway instance on a shared PostgreSQL database for the life of this
     * database object ({@link InstanceLock}); false when a live session holds it already: another
     * process under the same name, or the connection of a dead one that the server has not yet
     * dropped (a host lost without closing its sockets, until the server's TCP keepalive ends it).
     */
    public synchronized boolean lockInstance(String name) {
        if (dialect != Dialect.POSTGRESQL) {
            throw new IllegalStateException("an instance name is taken on a shared PostgreSQL database only");
        }
        if (instanceName != null || closed.get()) {
            return instanceName != null;
        }
        try {
            instanceName = InstanceName.take(dataSource.getDataSource(), name, description).orElse(null);
        } catch (SQLException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "the database " + description
                    + " cannot lock the instance name " + name + ": " + firstLine(e.getMessage()));
        }
        if (instanceName != null && closed.get()) {
            instanceName.release();
        }
        return instanceName != null;
    }

    /** Whether this process still holds the instance name it took ({@link #lockInstance}): {@link InstanceName#check}. */
    public InstanceName.State instanceNameHeld() {
        InstanceName held = instanceName;
        return held == null ? InstanceName.State.NONE : held.check();
    }

    /** Whether the database answers (for health checks). */
    public boolean isReachable() {
        if (closed.get()) {
            return false;
        }
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        dataSource.close();
        InstanceName held = instanceName;
        if (held != null) {
            held.release();
        }
        if (lock != null) {
            lock.release();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    /**
     * The embedded database's data directory belongs to one process: a second gateway on the same
     * directory is refused at start-up (it would take over the first one's work and leases).
     */
    static final class DataDirectoryLock {
        private final FileChannel channel;
        private final FileLock lock;

        private DataDirectoryLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static DataDirectoryLock acquire(Path dataDir) {
            Path file = dataDir.resolve("puente.lock");
            try {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null;
                }
                if (l == null) {
                    ch.close();
                    throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.data.dir " + dataDir
                            + " is in use by another gateway process (" + file + " is locked)");
                }
                return new DataDirectoryLock(ch, l);
            } catch (IOException e) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.data.dir " + dataDir
                        + " cannot be locked: " + e.getMessage());
            }
        }

        void release() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the process is stopping; the operating system drops the lock with the file
            }
        }
    }
}
