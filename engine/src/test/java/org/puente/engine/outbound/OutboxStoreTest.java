package org.puente.engine.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.testing.StoreFixtures.ANAM;
import static org.puente.engine.testing.StoreFixtures.CBP;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.count;
import static org.puente.engine.testing.StoreFixtures.header;
import static org.puente.engine.testing.StoreFixtures.isUniqueViolation;
import static org.puente.engine.testing.StoreFixtures.outbound;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.testing.TestPayloads;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** The outbox's own SQL on both databases: storing, idempotency keys, reads, and the guarded state move. */
class OutboxStoreTest {
    private final OutboxStore outbox = TestPayloads.outbox();

    @OnBothDatabases
    void a_stored_message_is_found_exactly_as_it_was_accepted(TestDatabase db) {
        EnvelopeHeader h = header(Priority.URGENT, T0.minusMillis(1234));
        OutboxStore.NewMessage m = outbound(h, "key-1");
        insert(db, m, T0);

        OutboxEntry e = find(db, h.messageId());
        assertThat(e.messageId()).isEqualTo(h.messageId());
        assertThat(e.submitter()).isEqualTo("CBP");
        assertThat(e.header()).isEqualTo(h);
        assertThat(e.payloadSha256()).isEqualTo(m.payloadSha256());
        assertThat(envelope(db, h.messageId())).isEqualTo(m.envelope());
        assertThat(e.envelopeSha256()).isEqualTo(m.envelopeSha256());
        assertThat(e.state()).isEqualTo(OutboxState.PENDING);
        assertThat(e.attempts()).isZero();
        assertThat(e.createdAt()).isEqualTo(h.createdAt());
        assertThat(e.expiresAt()).isEqualTo(h.expiresAt());
        Optional<byte[]> payload = db.tx().read(c -> outbox.payload(c, h.messageId()));
        assertThat(payload).get().isEqualTo(m.payload());
        OutboxStore.Proofs proofs = db.tx().read(c -> outbox.proofs(c, h.messageId())).orElseThrow();
        assertThat(proofs.receipt()).isNull();
        assertThat(proofs.deliveryNotice()).isNull();
    }

    @OnBothDatabases
    void an_unknown_message_is_not_found(TestDatabase db) {
        insert(db, outbound(header(Priority.NORMAL, T0), null), T0);
        UUID unknown = UUID.randomUUID();

        Optional<OutboxEntry> entry = db.tx().read(c -> outbox.find(c, unknown));
        Optional<byte[]> payload = db.tx().read(c -> outbox.payload(c, unknown));
        Optional<OutboxStore.Proofs> proofs = db.tx().read(c -> outbox.proofs(c, unknown));

        assertThat(entry).isEmpty();
        assertThat(payload).isEmpty();
        assertThat(proofs).isEmpty();
    }

    @OnBothDatabases
    void several_messages_are_read_at_once_and_unknown_ids_are_left_out(TestDatabase db) {
        UUID a = insert(db, Priority.NORMAL, T0);
        UUID b = insert(db, Priority.BULK, T0);
        insert(db, Priority.URGENT, T0);

        List<OutboxStore.Outgoing> two = db.tx().read(c -> outbox.findForSending(c, List.of(a, UUID.randomUUID(), b)));
        List<OutboxStore.Outgoing> none = db.tx().read(c -> outbox.findForSending(c, List.of()));

        assertThat(two).extracting(o -> o.entry().messageId()).containsExactlyInAnyOrder(a, b);
        assertThat(two).allSatisfy(o -> assertThat(o.envelope()).isNotEmpty());
        assertThat(none).isEmpty();
    }

    @OnBothDatabases
    void an_idempotency_key_finds_the_message_and_request_digest_of_its_own_submitter_only(TestDatabase db) {
        OutboxStore.NewMessage m = outbound(header(Priority.NORMAL, T0), "retry-me");
        insert(db, m, T0);

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
        insert(db, outbound(header(Priority.NORMAL, T0), "once"), T0);

        assertThatThrownBy(() -> db.tx().write(c -> {
            outbox.insert(c, outbound(header(Priority.NORMAL, T0), "once"), T0);
            return null;
        })).isInstanceOfSatisfying(PuenteException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
            assertThat(e.getCause()).isInstanceOfSatisfying(SQLException.class,
                    s -> assertThat(isUniqueViolation(s)).as(s.toString()).isTrue());
        });
        assertThat(rows(db, "SELECT COUNT(*) FROM outbox")).isEqualTo(1);
    }

    @OnBothDatabases
    void the_same_idempotency_key_from_two_agencies_and_messages_without_a_key_are_all_stored(TestDatabase db) {
        AgencyRef ice = new AgencyRef(Country.US, "ICE-HSI");
        insert(db, outbound(header(Priority.NORMAL, T0), "shared"), T0);
        insert(db, outbound(header(UUID.randomUUID(), ice, ANAM, Priority.NORMAL, T0), "shared"), T0);
        insert(db, outbound(header(Priority.NORMAL, T0), null), T0);
        insert(db, outbound(header(Priority.NORMAL, T0), null), T0);

        assertThat(rows(db, "SELECT COUNT(*) FROM outbox")).isEqualTo(4);
        assertThat(rows(db, "SELECT COUNT(*) FROM outbox WHERE submitter = 'ICE-HSI'")).isEqualTo(1);
    }

    @OnBothDatabases
    void a_move_applies_only_from_the_state_it_leaves_and_counts_an_attempt_when_asked(TestDatabase db) {
        UUID id = insert(db, Priority.NORMAL, T0);
        byte[] receipt = {1, 2, 3};

        boolean wrongState = db.tx().write(c -> outbox.move(c, id, OutboxState.RECEIPTED, OutboxState.DELIVERED, false,
                List.of("delivery_notice = ?"), List.of(new byte[] {9}), T0.plusSeconds(1)));
        boolean moved = db.tx().write(c -> outbox.move(c, id, OutboxState.PENDING, OutboxState.RECEIPTED, true,
                List.of("receipt = ?"), List.of(receipt), T0.plusSeconds(2)));
        boolean again = db.tx().write(c -> outbox.move(c, id, OutboxState.PENDING, OutboxState.FAILED, true,
                List.of("receipt = ?"), List.of(new byte[] {7}), T0.plusSeconds(3)));
        boolean unknown = db.tx().write(c -> outbox.move(c, UUID.randomUUID(), OutboxState.PENDING, OutboxState.FAILED,
                true, List.of(), List.of(), T0.plusSeconds(3)));

        assertThat(wrongState).isFalse();
        assertThat(moved).isTrue();
        assertThat(again).as("only a PENDING message leaves PENDING").isFalse();
        assertThat(unknown).isFalse();
        OutboxEntry e = find(db, id);
        assertThat(e.state()).isEqualTo(OutboxState.RECEIPTED);
        assertThat(e.attempts()).isEqualTo(1);
        OutboxStore.Proofs proofs = db.tx().read(c -> outbox.proofs(c, id)).orElseThrow();
        assertThat(proofs.receipt()).isEqualTo(receipt);
        assertThat(proofs.deliveryNotice()).isNull();
        assertThat(rows(db, "SELECT COUNT(*) FROM outbox WHERE updated_at = ?", T0.plusSeconds(2))).isEqualTo(1);
    }

    @OnBothDatabases
    void the_backlog_counts_pending_messages_and_names_the_oldest(TestDatabase db) {
        OutboxStore.Backlog empty = db.tx().read(outbox::backlog);
        UUID oldest = insert(db, Priority.BULK, T0.minusSeconds(100));
        insert(db, Priority.NORMAL, T0.minusSeconds(10));
        UUID done = insert(db, Priority.NORMAL, T0.minusSeconds(500));
        db.tx().write(c -> outbox.move(c, done, OutboxState.PENDING, OutboxState.RECEIPTED, true, List.of(), List.of(), T0));

        OutboxStore.Backlog backlog = db.tx().read(outbox::backlog);

        assertThat(empty).isEqualTo(new OutboxStore.Backlog(0, null));
        assertThat(backlog).isEqualTo(new OutboxStore.Backlog(2, find(db, oldest).createdAt()));
        assertThat(backlog.oldestCreatedAt()).isEqualTo(T0.minusSeconds(100));
    }

    private UUID insert(TestDatabase db, Priority priority, Instant at) {
        EnvelopeHeader h = header(UUID.randomUUID(), CBP, ANAM, priority, at);
        insert(db, outbound(h, null), at);
        return h.messageId();
    }

    private void insert(TestDatabase db, OutboxStore.NewMessage m, Instant now) {
        db.tx().write(c -> {
            outbox.insert(c, m, now);
            return null;
        });
    }

    private OutboxEntry find(TestDatabase db, UUID id) {
        return db.tx().read(c -> outbox.find(c, id)).orElseThrow();
    }

    private byte[] envelope(TestDatabase db, UUID id) {
        return db.tx().read(c -> outbox.findForSending(c, List.of(id))).get(0).envelope();
    }

    private static long rows(TestDatabase db, String sql, Object... params) {
        return db.tx().read(c -> count(c, sql, params));
    }
}
