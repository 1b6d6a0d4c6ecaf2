package org.puente.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.count;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.audit.store.Dialect;
import org.puente.audit.store.Jdbc;
import org.puente.engine.outbound.MessageStatus;
import org.puente.engine.outbound.StatusStore;
import org.puente.engine.testing.EmbeddedPostgresServer;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

class DatabaseTest {
    @TempDir
    Path dir;

    @OnBothDatabases
    void the_migration_creates_the_exchange_tables_with_the_dialect_of_the_database(TestDatabase db) throws SQLException {
        Database database = db.database();

        assertThat(database.dialect().name()).isEqualTo(db.kind().name());
        try (Connection c = db.connection()) {
            for (String table : new String[] {"outbox", "message_status", "inbox", "work", "control", "audit_event",
                    "audit_checkpoint", "audit_archive", "audit_reconciliation"}) {
                assertThat(count(c, "SELECT COUNT(*) FROM " + table)).as(table).isZero();
            }
            assertThat(count(c, "SELECT COUNT(*) FROM audit_chain_head WHERE seq = 0")).isEqualTo(1);
            assertThat(count(c, "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1' AND \"success\" = TRUE"))
                    .isEqualTo(1);
        }
        assertThat(database.isReachable()).isTrue();
    }

    @OnBothDatabases
    void the_tables_the_work_queue_replaced_are_gone(TestDatabase db) throws SQLException {
        try (Connection c = db.connection()) {
            for (String gone : new String[] {"SELECT COUNT(*) FROM notice_outbox", "SELECT lease_owner FROM outbox",
                    "SELECT next_attempt_at FROM outbox", "SELECT push_attempts FROM inbox"}) {
                assertThatThrownBy(() -> count(c, gone)).as(gone).isInstanceOf(SQLException.class);
            }
        }
    }

    @OnBothDatabases
    void committed_data_survives_a_restart_and_the_schema_is_not_migrated_twice(TestDatabase db) throws SQLException {
        StatusStore statuses = new StatusStore();
        UUID id = UUID.randomUUID();
        db.tx().write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO message_status (message_id, status, at, detail) VALUES (?,?,?,?)")) {
                Jdbc.bind(ps, id, MessageStatus.ACCEPTED, T0, "before the restart");
                ps.executeUpdate();
            }
            return null;
        });

        long migrations;
        try (Connection c = db.connection()) {
            migrations = count(c, "SELECT COUNT(*) FROM \"flyway_schema_history\"");
        }

        Database reopened = db.reopen();

        try (Connection c = reopened.dataSource().getConnection()) {
            assertThat(statuses.history(c, id)).extracting(StatusStore.Entry::detail).containsExactly("before the restart");
            assertThat(count(c, "SELECT COUNT(*) FROM \"flyway_schema_history\"")).isEqualTo(migrations);
        }
    }

    @OnBothDatabases
    void a_closed_database_is_reported_unreachable(TestDatabase db) {
        Database database = db.database();
        assertThat(database.isReachable()).isTrue();

        database.close();

        assertThat(database.isReachable()).isFalse();
    }

    @Test
    void the_embedded_database_is_sqlite_in_wal_mode_with_full_sync_in_the_data_directory() throws SQLException {
        try (Database db = Database.embedded(dir, 2); Connection c = db.dataSource().getConnection();
             Statement st = c.createStatement()) {
            assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
            assertThat(dir.resolve("puente.db")).isRegularFile();
            assertThat(dir.resolve("puente.lock")).isRegularFile();
            try (var rs = st.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (var rs = st.executeQuery("PRAGMA synchronous")) {
                rs.next();
                assertThat(rs.getInt(1)).as("2 = FULL").isEqualTo(2);
            }
        }
    }

    @Test
    void every_connection_keeps_the_savepoint_journals_of_a_group_in_memory() throws SQLException {
        try (Database db = Database.embedded(dir, 3)) {
            for (int i = 0; i < 3; i++) {
                try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                     var rs = st.executeQuery("PRAGMA temp_store")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("2 = MEMORY: a unit's savepoint journal is not written to a temporary file")
                            .isEqualTo(2);
                }
            }
        }
    }

    @Test
    void a_second_gateway_on_the_same_data_directory_is_refused_while_the_first_runs_and_allowed_after() {
        Database first = Database.embedded(dir, 2);
        try {
            assertThatThrownBy(() -> Database.embedded(dir, 2)).isInstanceOfSatisfying(PuenteException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                assertThat(e.getMessage()).contains("puente.lock");
            });
            assertThat(first.isReachable()).as("the refusal leaves the first one running").isTrue();
        } finally {
            first.close();
        }

        try (Database second = Database.embedded(dir, 2)) {
            assertThat(second.isReachable()).isTrue();
        }
    }

    @Test
    void a_database_that_cannot_be_opened_stops_the_gateway_naming_it_without_its_password() {
        // port 1 on loopback: nothing listens, the connection is refused at once
        String url = "jdbc:postgresql://127.0.0.1:1/puente?password=secret-in-url&connectTimeout=2";

        assertThatThrownBy(() -> Database.postgres(url, "puente", "secret-password", 2))
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage())
                            .contains("jdbc:postgresql://127.0.0.1:1/puente?password=***&connectTimeout=2")
                            .contains("cannot be opened")
                            .doesNotContain("secret-in-url", "secret-password");
                });
    }

    @Test
    void a_postgresql_database_whose_commits_are_not_synchronous_is_refused() throws SQLException {
        String url = EmbeddedPostgresServer.createDatabase();
        try {
            String name = url.substring(url.lastIndexOf('/') + 1);
            try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.user(), "");
                 Statement st = c.createStatement()) {
                st.execute("ALTER DATABASE " + name + " SET synchronous_commit = off");
            }

            assertThatThrownBy(() -> Database.postgres(url, EmbeddedPostgresServer.user(), "", 2))
                    .isInstanceOfSatisfying(PuenteException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                        assertThat(e.getMessage()).contains("synchronous_commit=off");
                    });
        } finally {
            EmbeddedPostgresServer.dropDatabase(url);
        }
    }

    @Test
    void a_postgresql_session_that_turns_synchronous_commit_off_is_refused() {
        String url = EmbeddedPostgresServer.createDatabase();
        try {
            String sessionOff = url + "?options=-c%20synchronous_commit%3Doff";

            assertThatThrownBy(() -> Database.postgres(sessionOff, EmbeddedPostgresServer.user(), "", 2))
                    .isInstanceOfSatisfying(PuenteException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                        assertThat(e.getMessage()).contains("synchronous_commit=off");
                    });
            try (Database durable = Database.postgres(url, EmbeddedPostgresServer.user(), "", 2)) {
                assertThat(durable.isReachable()).as("the same database with durable commits opens").isTrue();
            }
        } finally {
            EmbeddedPostgresServer.dropDatabase(url);
        }
    }

    /**
     * The session holding an instance name, ended behind the process's back (as a failover or an
     * operator's pg_terminate_backend ends it): the health check's question finds it, takes the
     * name again on a new session while nobody holds it, and answers HELD_BY_ANOTHER while a
     * namesake does. The name's key is negative (its high half above 2^31), as many are.
     */
    @Test
    void a_lost_instance_name_is_seen_and_taken_again_unless_a_namesake_took_it() throws SQLException {
        String name = "gateway.us.puente.sample/1/";
        assertThat(InstanceLock.key(name)).as("a key whose halves must be read unsigned").isNegative();
        try (TestDatabase db = new TestDatabase(TestDatabase.Kind.POSTGRESQL); Database namesake = db.openAnother()) {
            assertThat(db.database().instanceNameHeld()).as("no name taken").isEqualTo(InstanceName.State.NONE);
            assertThat(db.database().lockInstance(name)).isTrue();
            long session = holder(db, name);
            assertThat(db.database().instanceNameHeld()).isEqualTo(InstanceName.State.HELD);
            assertThat(db.database().instanceNameHeld()).isEqualTo(InstanceName.State.HELD);
            assertThat(holder(db, name)).as("a held name is found held, not taken again").isEqualTo(session);

            terminateHolder(db, name);
            assertThat(db.database().instanceNameHeld()).as("lost, then taken again").isEqualTo(InstanceName.State.HELD);
            assertThat(holder(db, name)).as("on a new session").isNotEqualTo(session).isPositive();

            terminateHolder(db, name);
            assertThat(namesake.lockInstance(name)).as("a namesake takes the free name").isTrue();
            assertThat(db.database().instanceNameHeld()).isEqualTo(InstanceName.State.HELD_BY_ANOTHER);
            assertThat(db.database().instanceNameHeld()).as("asked again").isEqualTo(InstanceName.State.HELD_BY_ANOTHER);

            namesake.close();
            // the server drops the namesake's lock as its backend exits, a moment after the close
            InstanceName.State back = InstanceName.State.HELD_BY_ANOTHER;
            for (int i = 0; i < 200 && back != InstanceName.State.HELD; i++) {
                back = db.database().instanceNameHeld();
                if (back != InstanceName.State.HELD) {
                    sleep(50);
                }
            }
            assertThat(back).as("taken back once the namesake is gone").isEqualTo(InstanceName.State.HELD);
        }
    }

    private static void terminateHolder(TestDatabase db, String name) throws SQLException {
        try (Connection c = db.connection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, "puente-instance " + name);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("the session holding " + name).isTrue();
            }
        }
        // pg_terminate_backend signals the backend; wait until it is gone
        for (int i = 0; i < 500 && holder(db, name) > 0; i++) {
            sleep(20);
        }
        assertThat(holder(db, name)).as("the terminated session is gone").isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The pid of the session holding {@code name}, or 0 if there is none. */
    private static long holder(TestDatabase db, String name) throws SQLException {
        try (Connection c = db.connection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, "puente-instance " + name);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
