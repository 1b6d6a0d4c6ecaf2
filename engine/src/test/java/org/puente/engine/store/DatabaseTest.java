package org.puente.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.store.StoreFixtures.T0;
import static org.puente.engine.store.StoreFixtures.count;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

class DatabaseTest {

    @OnBothDatabases
    void the_migration_creates_the_exchange_tables_with_the_dialect_of_the_database(TestDatabase db) throws SQLException {
        Database database = db.database();

        assertThat(database.dialect().name()).isEqualTo(db.kind().name());
        try (Connection c = db.connection()) {
            for (String table : new String[] {"outbox", "message_status", "inbox", "notice_outbox", "audit_event"}) {
                assertThat(count(c, "SELECT COUNT(*) FROM " + table)).as(table).isZero();
            }
            assertThat(count(c, "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1' AND \"success\" = TRUE"))
                    .isEqualTo(1);
        }
        assertThat(database.isReachable()).isTrue();
    }

    @OnBothDatabases
    void committed_data_survives_a_restart_and_the_schema_is_not_migrated_twice(TestDatabase db) throws SQLException {
        StatusStore statuses = new StatusStore();
        UUID id = UUID.randomUUID();
        db.tx().write(c -> {
            statuses.append(c, id, MessageStatus.ACCEPTED, T0, null, "before the restart");
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
    void a_database_that_cannot_be_opened_stops_the_gateway_naming_it_without_its_password() {
        // port 1 on loopback: nothing listens, the connection is refused at once
        String url = "jdbc:postgresql://127.0.0.1:1/puente?password=secret-in-url&connectTimeout=2";

        assertThatThrownBy(() -> Database.of(url, "puente", "secret-password", 2))
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage())
                            .contains("jdbc:postgresql://127.0.0.1:1/puente?password=***&connectTimeout=2")
                            .contains("cannot be opened or migrated")
                            .doesNotContain("secret-in-url", "secret-password");
                });
    }
}
