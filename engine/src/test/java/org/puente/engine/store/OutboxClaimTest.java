package org.puente.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.store.OutboxSteps.LEASE;
import static org.puente.engine.store.OutboxSteps.claim;
import static org.puente.engine.store.OutboxSteps.find;
import static org.puente.engine.store.OutboxSteps.insert;
import static org.puente.engine.store.OutboxSteps.rows;
import static org.puente.engine.store.StoreFixtures.T0;
import static org.puente.engine.store.StoreFixtures.header;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

/** Claiming from the outbox on both databases: most urgent and oldest first, and never twice while leased. */
class OutboxClaimTest {
    @OnBothDatabases
    void due_messages_are_claimed_urgent_before_normal_before_bulk_then_oldest_first(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        UUID bulkOldest = insert(db, outbox, Priority.BULK, T0.minusSeconds(50));
        UUID normalNewer = insert(db, outbox, Priority.NORMAL, T0.minusSeconds(10));
        UUID urgentNewest = insert(db, outbox, Priority.URGENT, T0.minusSeconds(1));
        UUID normalOlder = insert(db, outbox, Priority.NORMAL, T0.minusSeconds(40));
        UUID urgentOlder = insert(db, outbox, Priority.URGENT, T0.minusSeconds(5));
        UUID notYetDue = insert(db, outbox, Priority.URGENT, T0.plusSeconds(5));

        List<UUID> firstThree = claim(db, outbox, T0, 3, "d1");
        List<UUID> rest = claim(db, outbox, T0, 10, "d1");

        assertThat(firstThree).containsExactly(urgentOlder, urgentNewest, normalOlder);
        assertThat(rest).containsExactly(normalNewer, bulkOldest);
        assertThat(claim(db, outbox, T0.plusSeconds(5), 10, "d1")).containsExactly(notYetDue);
    }

    @OnBothDatabases
    void a_claimed_message_is_not_claimed_again_until_its_lease_lapses(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        UUID id = insert(db, outbox, Priority.NORMAL, T0);

        assertThat(claim(db, outbox, T0, 10, "d1")).containsExactly(id);
        assertThat(rows(db, "SELECT COUNT(*) FROM outbox WHERE lease_owner = 'd1' AND lease_until = ?",
                T0.plus(LEASE))).isEqualTo(1);
        assertThat(claim(db, outbox, T0.plusSeconds(1), 10, "d2")).isEmpty();
        assertThat(claim(db, outbox, T0.plus(LEASE), 10, "d2")).as("the lease runs until its end").isEmpty();
        assertThat(claim(db, outbox, T0.plus(LEASE).plusMillis(1), 10, "d2")).containsExactly(id);
        assertThat(rows(db, "SELECT COUNT(*) FROM outbox WHERE lease_owner = 'd2'")).isEqualTo(1);
    }

    @OnBothDatabases
    void a_message_stored_sealed_and_reserved_is_claimed_by_nobody_until_its_reservation_lapses(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        EnvelopeHeader h = header(Priority.URGENT, T0);
        OutboxStore.NewMessage m = StoreFixtures.sealedAndReserved(h, "fast-path", T0.plus(LEASE));
        insert(db, outbox, m, T0);
        UUID unreserved = insert(db, outbox, Priority.BULK, T0);

        List<UUID> meanwhile = claim(db, outbox, T0.plusSeconds(1), 10, "other-instance");
        List<UUID> afterLapse = claim(db, outbox, T0.plus(LEASE).plusMillis(1), 10, "other-instance");

        assertThat(meanwhile).containsExactly(unreserved);
        assertThat(afterLapse).containsExactly(h.messageId());
        OutboxEntry e = find(db, outbox, h.messageId());
        assertThat(e.envelope()).isEqualTo(m.envelope());
        assertThat(e.envelopeSha256()).isEqualTo(m.envelopeSha256());
        assertThat(e.state()).isEqualTo(OutboxState.PENDING);
    }

    @OnBothDatabases
    void released_leases_make_claimed_messages_claimable_at_once(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        UUID id = insert(db, outbox, Priority.NORMAL, T0);
        claim(db, outbox, T0, 10, "previous-run");

        db.tx().write(c -> {
            outbox.releaseAllLeases(c);
            return null;
        });

        assertThat(claim(db, outbox, T0, 10, "this-run")).containsExactly(id);
    }

    @OnBothDatabases
    void a_rescheduled_message_is_claimable_again_at_its_next_attempt_and_not_before(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        UUID id = insert(db, outbox, Priority.NORMAL, T0);
        claim(db, outbox, T0, 10, "d1");
        Instant next = T0.plusSeconds(8);

        db.tx().write(c -> {
            outbox.reschedule(c, id, next, "peer_unreachable", "connection refused", T0.plusSeconds(1));
            return null;
        });

        assertThat(find(db, outbox, id).attempts()).isEqualTo(1);
        assertThat(rows(db, "SELECT COUNT(*) FROM outbox WHERE last_error_code = 'peer_unreachable'"
                + " AND last_error_detail = 'connection refused' AND lease_owner IS NULL AND next_attempt_at = ?", next))
                .isEqualTo(1);
        assertThat(claim(db, outbox, next.minusMillis(1), 10, "d1")).as("the lease was dropped, the retry is not due").isEmpty();
        assertThat(claim(db, outbox, next, 10, "d1")).containsExactly(id);
    }
}
