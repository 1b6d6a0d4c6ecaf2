package org.puente.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.audit.AuditFixtures.sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.audit.store.ArchiveStore;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.CheckpointStore;
import org.puente.audit.store.Dialect;
import org.puente.audit.verify.ChainReport;
import org.puente.engine.store.Database;
import org.puente.engine.store.Transactions;
import org.puente.engine.testing.EmbeddedPostgresServer;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;
import org.puente.model.Country;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The database itself keeps the audit tables append-only (migrations V4 on PostgreSQL, V2 on
 * SQLite): a statement on the gateway's own connection that would change or remove an entry, a
 * checkpoint or an archive record, move the chain head back, or add a row outside the chain is
 * refused, and the log still verifies afterwards. On PostgreSQL a gateway running as its own role
 * (granted by {@code puente_grant_runtime}) appends, signs checkpoints and archives through
 * {@code puente_audit_retire}, but has no right to UPDATE, DELETE or TRUNCATE an audit row at all,
 * and the retention function deletes nothing a recorded archive does not end with.
 */
class AppendOnlyDatabaseTest {
    private static final AtomicInteger ROLES = new AtomicInteger();
    @TempDir
    Path archiveDir;

    @OnBothDatabases
    void an_entry_cannot_be_changed_or_deleted(TestDatabase db) throws Exception {
        AuditFixtures.tenEntries(db);

        try (Connection c = db.connection()) {
            assertRefused(db, () -> sql(c, "UPDATE audit_event SET receiver = 'MX/SAT' WHERE seq = 6"));
            assertRefused(db, () -> sql(c, "UPDATE audit_event SET seq = 11 WHERE seq = 10"));
            assertRefused(db, () -> sql(c, "DELETE FROM audit_event WHERE seq = 5"));
            assertRefused(db, () -> sql(c, "DELETE FROM audit_event"));
            if (db.kind() == TestDatabase.Kind.POSTGRESQL) {
                assertRefused(db, () -> sql(c, "TRUNCATE audit_event"));
            }
        }

        assertIntact(db);
    }

    @OnBothDatabases
    void a_checkpoint_or_an_archive_record_cannot_be_changed_or_deleted(TestDatabase db) throws Exception {
        AuditFixtures.tenEntries(db);

        try (Connection c = db.connection()) {
            assertRefused(db, () -> sql(c, "UPDATE audit_checkpoint SET hash = ? WHERE seq = 4", "00".repeat(32)));
            assertRefused(db, () -> sql(c, "DELETE FROM audit_checkpoint WHERE seq = 10"));
            // an archive record claims nothing here yet; once written it cannot be taken back or moved
            new ArchiveStore().insert(c, new ArchiveStore.Archive(0, 0, "00".repeat(32), "none.jsonl", "00".repeat(32),
                    AuditFixtures.T0));
            assertRefused(db, () -> sql(c, "UPDATE audit_archive SET last_seq = 10"));
            assertRefused(db, () -> sql(c, "DELETE FROM audit_archive"));
        }

        try (Connection c = db.connection()) {
            assertThat(new CheckpointStore().all(c)).hasSize(2);
        }
    }

    @OnBothDatabases
    void the_chain_head_moves_forward_only_to_an_entry_that_is_there(TestDatabase db) throws Exception {
        AuditFixtures.tenEntries(db);

        try (Connection c = db.connection()) {
            String hash7 = new AuditStore().entry(c, 7).orElseThrow().hash();
            assertRefused(db, () -> sql(c, "UPDATE audit_chain_head SET seq = 7, hash = ?", hash7));
            assertRefused(db, () -> sql(c, "UPDATE audit_chain_head SET seq = 11, hash = ?", "ab".repeat(32)));
            assertRefused(db, () -> sql(c, "DELETE FROM audit_chain_head"));
        }

        assertIntact(db);
    }

    @OnBothDatabases
    void a_row_without_a_chain_position_cannot_be_inserted(TestDatabase db) throws Exception {
        AuditFixtures.tenEntries(db);

        try (Connection c = db.connection()) {
            ThrowingCallable smuggle = () -> sql(c, "INSERT INTO audit_event (at, country, event, message_id, actor, outcome)"
                    + " VALUES (?,?,?,?,?,?)", AuditFixtures.T0.plusSeconds(660), "US", "ACKNOWLEDGED",
                    java.util.UUID.fromString("00000000-0000-0000-0000-00000000f0f0"), "CN=FORGED", "OK");
            if (db.kind() == TestDatabase.Kind.SQLITE) {
                assertRefused(db, smuggle);
            } else {
                assertThatThrownBy(smuggle).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("23514"));
            }
        }

        assertIntact(db);
    }

    @Test
    void a_gateway_running_as_its_own_postgresql_role_appends_checkpoints_and_archives_but_cannot_update_or_delete_audit_rows()
            throws Exception {
        String role = "puente_runtime_" + ROLES.incrementAndGet();
        try (TestDatabase owner = new TestDatabase(TestDatabase.Kind.POSTGRESQL)) {
            String url;
            try (Connection c = owner.connection(); Statement st = c.createStatement()) {
                url = c.getMetaData().getURL();
                st.execute("CREATE ROLE " + role + " LOGIN");
                st.execute("SELECT puente_grant_runtime('" + role + "')");
            }
            try (Database runtime = Database.postgres(url, role, "", 4);
                 Transactions tx = new Transactions(runtime, 512)) {
                AuditLog audit = AuditFixtures.registered(tx, Dialect.POSTGRESQL);
                AuditFixtures.write(tx, audit, 1, 4);
                AuditFixtures.checkpoints(tx, AuditFixtures.T0.plusSeconds(270)).checkpoint().orElseThrow();
                AuditFixtures.write(tx, audit, 5, 6);
                AuditFixtures.checkpoints(tx, AuditFixtures.T0.plusSeconds(630)).checkpoint().orElseThrow();

                try (Connection c = runtime.dataSource().getConnection()) {
                    c.setAutoCommit(true);
                    assertDenied(() -> sql(c, "UPDATE audit_event SET receiver = 'MX/SAT' WHERE seq = 6"));
                    assertDenied(() -> sql(c, "DELETE FROM audit_event WHERE seq = 5"));
                    assertDenied(() -> sql(c, "TRUNCATE audit_event"));
                    assertDenied(() -> sql(c, "DELETE FROM audit_checkpoint WHERE seq = 10"));
                    assertDenied(() -> sql(c, "UPDATE audit_checkpoint SET hash = ? WHERE seq = 4", "00".repeat(32)));
                    assertDenied(() -> sql(c, "DELETE FROM audit_archive"));
                    // the retention function removes nothing a recorded archive does not end with ...
                    assertDenied(() -> query(c, "SELECT puente_audit_retire(4)"));
                    // ... nor what an invented archive record claims with the wrong hash or without a checkpoint there
                    c.setAutoCommit(false);
                    new ArchiveStore().insert(c, new ArchiveStore.Archive(1, 7, "00".repeat(32), "fake.jsonl",
                            "00".repeat(32), AuditFixtures.T0));
                    assertDenied(() -> query(c, "SELECT puente_audit_retire(7)"));
                    c.rollback();
                    c.setAutoCommit(true);
                }

                // retention, the one way rows leave: through the function, as the runtime role
                Instant now = AuditFixtures.T0.plus(Duration.ofDays(1)).plusSeconds(390);
                AuditRetention retention = new AuditRetention(tx, new AuditStore(), new CheckpointStore(), new ArchiveStore(),
                        audit, AuditFixtures.exporter(tx, now), AuditFixtures.verification(), Dialect.POSTGRESQL,
                        Duration.ofDays(1), archiveDir, AuditFixtures.US_GATEWAY, Country.US, Clock.fixed(now, ZoneOffset.UTC));
                assertThat(retention.archiveDue()).get().satisfies(a -> assertThat(a.lastSeq()).isEqualTo(4));

                try (Connection c = runtime.dataSource().getConnection()) {
                    c.setAutoCommit(true);
                    assertThat(new AuditStore().firstSeq(c)).contains(5L);
                    ChainReport r = AuditFixtures.verificationAt(now.plusSeconds(60)).verifyLive(c, archiveDir);
                    assertThat(r.firstBreak()).as(String.valueOf(r.firstBreak())).isEmpty();
                    assertThat(r.entries()).isEqualTo(11);
                }
            } finally {
                try (Connection c = owner.connection(); Statement st = c.createStatement()) {
                    st.execute("DROP OWNED BY " + role);
                    st.execute("DROP ROLE " + role);
                }
            }
        }
    }

    private static void query(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
        }
    }

    /** Refused by the guards of the migration: the trigger on SQLite, the trigger or the grants on PostgreSQL. */
    private static void assertRefused(TestDatabase db, ThrowingCallable statement) {
        assertThatThrownBy(statement).isInstanceOfSatisfying(SQLException.class, e -> {
            if (db.kind() == TestDatabase.Kind.SQLITE) {
                assertThat(((SQLiteException) e).getResultCode()).as(e.getMessage())
                        .isEqualTo(SQLiteErrorCode.SQLITE_CONSTRAINT_TRIGGER);
            } else {
                assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501");
            }
            assertThat(e.getMessage()).contains("puente:");
        });
    }

    /** Refused to the runtime role: insufficient_privilege, whether by the grants or by the retention function. */
    private static void assertDenied(ThrowingCallable statement) {
        assertThatThrownBy(statement).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501"));
    }

    private static void assertIntact(TestDatabase db) throws SQLException {
        try (Connection c = db.connection()) {
            ChainReport r = AuditFixtures.verification().verifyLive(c, null);
            assertThat(r.firstBreak()).as(String.valueOf(r.firstBreak())).isEmpty();
            assertThat(r.entries()).isEqualTo(10);
            assertThat(r.checkpoints()).isEqualTo(2);
        }
    }
}
