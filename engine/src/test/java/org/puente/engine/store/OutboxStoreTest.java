package org.puente.engine.store;

import org.puente.audit.store.Jdbc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.store.OutboxSteps.claim;
import static org.puente.engine.store.OutboxSteps.find;
import static org.puente.engine.store.OutboxSteps.insert;
import static org.puente.engine.store.OutboxSteps.rows;
import static org.puente.engine.store.StoreFixtures.ANAM;
import static org.puente.engine.store.StoreFixtures.CBP;
import static org.puente.engine.store.StoreFixtures.T0;
import static org.puente.engine.store.StoreFixtures.header;
import static org.puente.engine.store.StoreFixtures.outbound;
import static org.puente.engine.store.StoreFixtures.sha;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

/** The outbox on both databases: storing, idempotency keys, and the life of a message after its claim. */
class OutboxStoreTest {
    @OnBothDatabases
    void a_stored_message_is_found_exactly_as_it_was_accepted(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        EnvelopeHeader h = header(Priority.URGENT, T0.minusMillis(1234));
        OutboxStore.NewMessage m = outbound(h, "key-1");
        db.tx().write(c -> {
            outbox.insert(c, m, T0);
            return null;
        });

        OutboxEntry e = db.tx().read(c -> outbox.find(c, h.messageId())).orElseThrow();
        assertThat(e.messageId()).isEqualTo(h.messageId());
        assertThat(e.submitter()).isEqualTo("CBP");
        assertThat(e.header()).isEqualTo(h);
        assertThat(e.payload()).isEqualTo(m.payload());
        assertThat(e.payloadSha256()).isEqualTo(m.payloadSha256());
        assertThat(e.envelope()).isNull();
        assertThat(e.envelopeSha256()).isNull();
        assertThat(e.state()).isEqualTo(OutboxState.PENDING);
        assertThat(e.attempts()).isZero();
        assertThat(e.createdAt()).isEqualTo(h.createdAt());
        assertThat(e.expiresAt()).isEqualTo(h.expiresAt());
        Optional<String> submitter = db.tx().read(c -> outbox.submitter(c, h.messageId()));
        assertThat(submitter).contains("CBP");
    }

    @OnBothDatabases
    void an_unknown_message_is_not_found(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        UUID unknown = UUID.randomUUID();
        Optional<OutboxEntry> entry = db.tx().read(c -> outbox.find(c, unknown));
        Optional<String> submitter = db.tx().read(c -> outbox.submitter(c, unknown));
        assertThat(entry).isEmpty();
        assertThat(submitter).isEmpty();
    }

    @OnBothDatabases
    void an_idempotency_key_finds_the_message_and_request_digest_of_its_own_submitter_only(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        OutboxStore.NewMessage m = outbound(header(Priority.NORMAL, T0), "retry-me");
        insert(db, outbox, m, T0);

        Optional<OutboxStore.PriorSubmission> prior = db.tx().read(c -> outbox.findByIdempotencyKey(c, "CBP", "retry-me"));
        Optional<OutboxStore.PriorSubmission> otherAgency = db.tx().read(c -> outbox.findByIdempotencyKey(c, "ICE-HSI", "retry-me"));
        Optional<OutboxStore.PriorSubmission> otherKey = db.tx().read(c -> outbox.findByIdempotencyKey(c, "CBP", "another"));

        assertThat(prior).isPresent();
        assertThat(prior.get().messageId()).isEqualTo(m.header().messageId());
        assertThat(prior.get().requestSha256()).isEqualTo(m.requestSha256());
        assertThat(otherAgency).isEmpty();
        assertThat(otherKey).isEmpty();
    }

    @OnBothDatabases
    void a_second_message_with_the_same_submitter_and_idempotency_key_is_refused_by_the_unique_constraint(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        insert(db, outbox, outbound(header(Priority.NORMAL, T0), "once"), T0);

        assertThatThrownBy(() -> db.tx().write(c -> {
            outbox.insert(c, outbound(header(Priority.NORMAL, T0), "once"), T0);
            return null;
        })).isInstanceOfSatisfying(PuenteException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
            assertThat(e.getCause()).isInstanceOfSatisfying(SQLException.class, s -> {
                assertThat(s.getSQLState()).isEqualTo("23505");
                assertThat(Jdbc.isDuplicateKey(s)).isTrue();
            });
        });
        assertThat(rows(db, "SELECT COUNT(*) FROM outbox")).isEqualTo(1);
    }

    @OnBothDatabases
    void the_same_idempotency_key_from_two_agencies_and_messages_without_a_key_are_all_stored(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        AgencyRef ice = new AgencyRef(Country.US, "ICE-HSI");
        insert(db, outbox, outbound(header(Priority.NORMAL, T0), "shared"), T0);
        insert(db, outbox, outbound(header(UUID.randomUUID(), ice, ANAM, Priority.NORMAL, T0), "shared"), T0);
        insert(db, outbox, outbound(header(Priority.NORMAL, T0), null), T0);
        insert(db, outbox, outbound(header(Priority.NORMAL, T0), null), T0);

        assertThat(rows(db, "SELECT COUNT(*) FROM outbox")).isEqualTo(4);
        assertThat(rows(db, "SELECT COUNT(*) FROM outbox WHERE submitter = 'ICE-HSI'")).isEqualTo(1);
    }

    @OnBothDatabases
    void finish_moves_a_pending_message_once_keeps_its_receipt_and_takes_it_out_of_dispatch(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        UUID id = insert(db, outbox, Priority.NORMAL, T0);
        claim(db, outbox, T0, 10, "d1");
        byte[] receipt = "signed receipt".getBytes(StandardCharsets.UTF_8);

        int first = db.tx().write(c -> outbox.finish(c, id, OutboxState.RECEIPTED, receipt, null, null, T0.plusSeconds(1)));
        int second = db.tx().write(c -> outbox.finish(c, id, OutboxState.FAILED, null, "peer_refused", "late", T0.plusSeconds(2)));

        assertThat(first).isEqualTo(1);
        assertThat(second).as("only a PENDING message can finish").isZero();
        OutboxEntry e = find(db, outbox, id);
        assertThat(e.state()).isEqualTo(OutboxState.RECEIPTED);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(rows(db, "SELECT COUNT(*) FROM outbox WHERE receipt = ? AND lease_owner IS NULL"
                + " AND lease_until IS NULL AND last_error_code IS NULL", receipt)).isEqualTo(1);
        assertThat(claim(db, outbox, T0.plus(Duration.ofDays(1)), 10, "d2")).isEmpty();
    }

    @OnBothDatabases
    void a_late_reschedule_leaves_a_message_that_has_finished_meanwhile_as_it_was(TestDatabase db) {
        // two instances on PostgreSQL: the first one's lease lapsed during a slow post, the second one
        // got the receipt; the first one's road failure must not touch the receipted message
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        UUID id = insert(db, outbox, Priority.NORMAL, T0);
        db.tx().write(c -> outbox.finish(c, id, OutboxState.RECEIPTED, new byte[] {1}, null, null, T0.plusSeconds(1)));

        db.tx().write(c -> {
            outbox.reschedule(c, id, T0.plusSeconds(60), "peer_timeout", "too slow", T0.plusSeconds(2));
            return null;
        });

        OutboxEntry e = find(db, outbox, id);
        assertThat(e.state()).isEqualTo(OutboxState.RECEIPTED);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(rows(db, "SELECT COUNT(*) FROM outbox WHERE last_error_code IS NULL")).isEqualTo(1);
    }

    @OnBothDatabases
    void the_sealed_envelope_is_recorded_once_and_never_replaced(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        UUID id = insert(db, outbox, Priority.NORMAL, T0);
        byte[] sealed = "first envelope".getBytes(StandardCharsets.UTF_8);

        db.tx().write(c -> {
            outbox.recordSealed(c, id, sealed, sha("first envelope"), T0);
            outbox.recordSealed(c, id, "second".getBytes(StandardCharsets.UTF_8), sha("second"), T0);
            return null;
        });

        OutboxEntry e = find(db, outbox, id);
        assertThat(e.envelope()).isEqualTo(sealed);
        assertThat(e.envelopeSha256()).isEqualTo(sha("first envelope"));
    }

    @OnBothDatabases
    void only_a_receipted_message_can_be_marked_delivered(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        UUID id = insert(db, outbox, Priority.NORMAL, T0);

        int whilePending = db.tx().write(c -> outbox.markDelivered(c, id, T0));
        db.tx().write(c -> outbox.finish(c, id, OutboxState.RECEIPTED, new byte[] {1}, null, null, T0));
        int afterReceipt = db.tx().write(c -> outbox.markDelivered(c, id, T0));
        int again = db.tx().write(c -> outbox.markDelivered(c, id, T0));

        assertThat(whilePending).isZero();
        assertThat(afterReceipt).isEqualTo(1);
        assertThat(again).isZero();
        assertThat(find(db, outbox, id).state()).isEqualTo(OutboxState.DELIVERED);
    }

    @OnBothDatabases
    void only_an_expired_message_can_be_redriven_and_it_returns_to_dispatch_with_its_new_expiry(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        UUID expired = insert(db, outbox, Priority.NORMAL, T0);
        UUID failed = insert(db, outbox, Priority.NORMAL, T0);
        UUID pending = insert(db, outbox, Priority.NORMAL, T0);
        db.tx().write(c -> outbox.finish(c, expired, OutboxState.EXPIRED, null, "message_expired", "ttl", T0));
        db.tx().write(c -> outbox.finish(c, failed, OutboxState.FAILED, null, "signature_invalid", "no", T0));
        Instant later = T0.plus(Duration.ofDays(2));
        Instant newExpiry = later.plus(Duration.ofDays(1));

        int redriven = db.tx().write(c -> outbox.redrive(c, expired, later, newExpiry));
        int notExpired = db.tx().write(c -> outbox.redrive(c, failed, later, newExpiry));
        int notFinished = db.tx().write(c -> outbox.redrive(c, pending, later, newExpiry));

        assertThat(redriven).isEqualTo(1);
        assertThat(notExpired).isZero();
        assertThat(notFinished).isZero();
        OutboxEntry e = find(db, outbox, expired);
        assertThat(e.state()).isEqualTo(OutboxState.PENDING);
        assertThat(e.expiresAt()).isEqualTo(newExpiry);
        assertThat(find(db, outbox, failed).state()).isEqualTo(OutboxState.FAILED);
        assertThat(claim(db, outbox, later, 10, "d1")).containsExactlyInAnyOrder(expired, pending);
    }

    @OnBothDatabases
    void expired_ids_come_oldest_dead_letter_first_up_to_the_limit(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        UUID second = insert(db, outbox, Priority.NORMAL, T0);
        UUID first = insert(db, outbox, Priority.NORMAL, T0);
        UUID third = insert(db, outbox, Priority.NORMAL, T0);
        insert(db, outbox, Priority.NORMAL, T0);
        db.tx().write(c -> outbox.finish(c, first, OutboxState.EXPIRED, null, "message_expired", null, T0.plusSeconds(1)));
        db.tx().write(c -> outbox.finish(c, second, OutboxState.EXPIRED, null, "message_expired", null, T0.plusSeconds(2)));
        db.tx().write(c -> outbox.finish(c, third, OutboxState.EXPIRED, null, "message_expired", null, T0.plusSeconds(3)));

        List<UUID> two = db.tx().read(c -> outbox.expiredIds(c, 2));
        assertThat(two).containsExactly(first, second);
    }

    @OnBothDatabases
    void the_backlog_counts_pending_messages_and_names_the_oldest(TestDatabase db) {
        OutboxStore outbox = new OutboxStore(db.database().dialect());
        OutboxStore.Backlog empty = db.tx().read(outbox::backlog);
        UUID oldest = insert(db, outbox, Priority.BULK, T0.minusSeconds(100));
        insert(db, outbox, Priority.NORMAL, T0.minusSeconds(10));
        UUID done = insert(db, outbox, Priority.NORMAL, T0.minusSeconds(500));
        db.tx().write(c -> outbox.finish(c, done, OutboxState.RECEIPTED, new byte[] {1}, null, null, T0));

        OutboxStore.Backlog backlog = db.tx().read(outbox::backlog);

        assertThat(empty).isEqualTo(new OutboxStore.Backlog(0, null));
        assertThat(backlog).isEqualTo(new OutboxStore.Backlog(2, find(db, outbox, oldest).createdAt()));
        assertThat(backlog.oldestCreatedAt()).isEqualTo(T0.minusSeconds(100));
    }
}
