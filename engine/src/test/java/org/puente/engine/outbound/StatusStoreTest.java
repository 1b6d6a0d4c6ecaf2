package org.puente.engine.outbound;

import org.puente.audit.store.Jdbc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.isUniqueViolation;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

class StatusStoreTest {
    private final StatusStore statuses = new StatusStore();

    @OnBothDatabases
    void the_history_lists_each_status_once_in_the_order_it_happened(TestDatabase db) {
        UUID id = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        append(db, id, MessageStatus.ACCEPTED, 0, null, null);
        append(db, other, MessageStatus.ACCEPTED, 0, null, null);
        append(db, id, MessageStatus.SENT, 1, null, null);
        append(db, id, MessageStatus.RECEIPTED, 2, null, null);
        append(db, id, MessageStatus.FAILED, 3, "peer_refused", "the peer said no");

        List<StatusStore.Entry> history = history(db, id);

        assertThat(history).containsExactly(
                new StatusStore.Entry(MessageStatus.ACCEPTED, T0, null, null),
                new StatusStore.Entry(MessageStatus.SENT, T0.plusSeconds(1), null, null),
                new StatusStore.Entry(MessageStatus.RECEIPTED, T0.plusSeconds(2), null, null),
                new StatusStore.Entry(MessageStatus.FAILED, T0.plusSeconds(3), "peer_refused", "the peer said no"));
        assertThat(history(db, other)).hasSize(1);
        assertThat(history(db, UUID.randomUUID())).isEmpty();
    }

    @OnBothDatabases
    void a_repeated_status_is_ignored_and_the_first_one_is_kept(TestDatabase db) {
        UUID id = UUID.randomUUID();
        append(db, id, MessageStatus.DELIVERED, 5, null, "first notice");
        append(db, id, MessageStatus.DELIVERED, 9, null, "repeated notice");
        db.tx().write(c -> {
            statuses.append(c, id, MessageStatus.SENT, T0, null, "same unit");
            statuses.append(c, id, MessageStatus.SENT, T0, null, "same unit again");
            return null;
        });

        assertThat(history(db, id)).containsExactly(
                new StatusStore.Entry(MessageStatus.DELIVERED, T0.plusSeconds(5), null, "first notice"),
                new StatusStore.Entry(MessageStatus.SENT, T0, null, "same unit"));
    }

    @OnBothDatabases
    void the_database_itself_refuses_a_second_row_of_the_same_status(TestDatabase db) throws SQLException {
        UUID id = UUID.randomUUID();
        append(db, id, MessageStatus.ACCEPTED, 0, null, null);

        try (var c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO message_status (message_id, status, at) VALUES (?, ?, ?)")) {
            Jdbc.bind(ps, id, MessageStatus.ACCEPTED, T0);
            assertThatThrownBy(ps::executeUpdate).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(isUniqueViolation(e)).as(e.toString()).isTrue());
        }
    }

    private void append(TestDatabase db, UUID id, MessageStatus s, int second, String code, String detail) {
        db.tx().write(c -> {
            statuses.append(c, id, s, T0.plusSeconds(second), code, detail);
            return null;
        });
    }

    private List<StatusStore.Entry> history(TestDatabase db, UUID id) {
        return db.tx().read(c -> statuses.history(c, id));
    }
}
