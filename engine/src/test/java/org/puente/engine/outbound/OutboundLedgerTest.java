package org.puente.engine.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.puente.engine.testing.StoreFixtures.ANAM;
import static org.puente.engine.testing.StoreFixtures.CBP;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.count;
import static org.puente.engine.testing.StoreFixtures.header;
import static org.puente.engine.testing.StoreFixtures.outbound;
import static org.puente.engine.testing.StoreFixtures.sha;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.store.AuditStore;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.testing.TestPayloads;
import org.puente.engine.work.Lane;
import org.puente.engine.work.NewJob;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.envelope.SealedEnvelope;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Every change of an outbound message's life writes its state, its status rows and its audit
 * events in the caller's unit, once: a change asked of a message that is not in the state it
 * leaves writes nothing at all.
 */
class OutboundLedgerTest {
    private static final String GATEWAY = "gateway.us.puente.sample";
    private static final String PEER = "gateway.mx.puente.sample";
    private static final String AGENCY = "CN=CBP agency system";

    private final OutboxStore outbox = TestPayloads.outbox();
    private final StatusStore statuses = new StatusStore();

    private OutboundLedger ledger(TestDatabase db) {
        AuditLog audit = new AuditLog(Country.US, db.database().dialect());
        db.tx().addParticipant(audit);
        return new OutboundLedger(outbox, statuses, audit, GATEWAY, PEER);
    }

    /** Everything a transition may write about one message, to compare before and after. */
    private record Trace(OutboxState state, int attempts, String lastErrorCode, String receipt, String notice,
                         List<MessageStatus> statuses, List<AuditEventType> events) {
    }

    private Trace trace(TestDatabase db, UUID id) {
        return db.tx().read(c -> {
            OutboxEntry e = outbox.find(c, id).orElseThrow();
            OutboxStore.Proofs p = outbox.proofs(c, id).orElseThrow();
            String code;
            try (var ps = c.prepareStatement("SELECT last_error_code FROM outbox WHERE message_id = ?")) {
                org.puente.audit.store.Jdbc.bind(ps, id);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    code = rs.getString(1);
                }
            }
            return new Trace(e.state(), e.attempts(), code, text(p.receipt()), text(p.deliveryNotice()),
                    statuses.history(c, id).stream().map(StatusStore.Entry::status).toList(),
                    new AuditStore().story(c, id).stream().map(x -> x.event().event()).toList());
        });
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private OutboxEntry entry(TestDatabase db, UUID id) {
        return db.tx().read(c -> outbox.find(c, id)).orElseThrow();
    }

    private List<AuditEvent> story(TestDatabase db, UUID id) {
        return db.tx().read(c -> new AuditStore().story(c, id)).stream().map(AuditEntry::event).toList();
    }

    private UUID accepted(TestDatabase db, OutboundLedger ledger, Priority priority) {
        OutboxStore.NewMessage m = outbound(header(UUID.randomUUID(), CBP, ANAM, priority, T0), null);
        db.tx().write(c -> {
            ledger.accepted(c, m, AGENCY, T0);
            return null;
        });
        return m.header().messageId();
    }

    private UUID receipted(TestDatabase db, OutboundLedger ledger) {
        UUID id = accepted(db, ledger, Priority.NORMAL);
        OutboxEntry e = entry(db, id);
        assertThat((boolean) db.tx().write(c -> ledger.receipted(c, e, bytes("receipt"), T0.plusSeconds(1),
                T0.plusSeconds(2), T0.plusSeconds(3)))).isTrue();
        return id;
    }

    private UUID expired(TestDatabase db, OutboundLedger ledger) {
        UUID id = accepted(db, ledger, Priority.NORMAL);
        OutboxEntry e = entry(db, id);
        assertThat((boolean) db.tx().write(c -> ledger.expired(c, e, "its time ran out", T0.plusSeconds(5)))).isTrue();
        return id;
    }

    @OnBothDatabases
    void an_accepted_message_is_stored_pending_with_its_job_status_and_events_in_one_unit(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        WorkQueue queue = new WorkQueue(db.database().dialect());
        EnvelopeHeader h = header(Priority.URGENT, T0);
        OutboxStore.NewMessage m = outbound(h, "key-1");

        db.tx().write(c -> {
            ledger.accepted(c, m, AGENCY, T0);
            // as the submission service does: the job for the peer in the same unit
            return queue.enqueue(c, NewJob.forMessage(WorkKind.PEER_ENVELOPE, h.messageId(), Lane.of(h.priority()),
                    m.envelope().length, T0, h.expiresAt()), T0);
        });

        OutboxEntry e = entry(db, h.messageId());
        assertThat(e.state()).isEqualTo(OutboxState.PENDING);
        assertThat(e.attempts()).isZero();
        assertThat(history(db, h.messageId()))
                .containsExactly(new StatusStore.Entry(MessageStatus.ACCEPTED, T0, null, null));
        List<AuditEvent> events = story(db, h.messageId());
        assertThat(events).extracting(AuditEvent::event, AuditEvent::actor, AuditEvent::payloadSha256,
                        AuditEvent::envelopeSha256)
                .containsExactly(tuple(AuditEventType.SUBMITTED, AGENCY, hex(m.payloadSha256()), null),
                        tuple(AuditEventType.SEALED, GATEWAY, hex(m.payloadSha256()), hex(m.envelopeSha256())));
        assertThat(events).allSatisfy(x -> {
            assertThat(x.at()).isEqualTo(T0);
            assertThat(x.receiver()).isEqualTo("MX/ANAM");
        });
        assertThat(rows(db, "SELECT COUNT(*) FROM work WHERE kind = 'PEER_ENVELOPE' AND ref = ? AND lane = 0"
                + " AND size_bytes = ?", h.messageId().toString(), (long) m.envelope().length)).isEqualTo(1);
    }

    @OnBothDatabases
    void a_unit_that_fails_after_accepting_takes_the_message_its_job_status_and_events_with_it(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        WorkQueue queue = new WorkQueue(db.database().dialect());
        EnvelopeHeader h = header(Priority.NORMAL, T0);

        assertThatThrownBy(() -> db.tx().write(c -> {
            ledger.accepted(c, outbound(h, null), AGENCY, T0);
            queue.enqueue(c, NewJob.forMessage(WorkKind.PEER_ENVELOPE, h.messageId(), Lane.NORMAL, 1, T0, h.expiresAt()), T0);
            throw new PuenteException(ErrorCode.IDEMPOTENCY_CONFLICT, "key-1");
        })).isInstanceOfSatisfying(PuenteException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT));

        for (String table : List.of("outbox", "message_status", "audit_event", "work")) {
            assertThat(rows(db, "SELECT COUNT(*) FROM " + table)).as(table).isZero();
        }
    }

    @OnBothDatabases
    void a_message_accepted_twice_fails_the_second_unit_before_it_writes_a_status_or_an_event(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        OutboxStore.NewMessage m = outbound(header(Priority.NORMAL, T0), null);
        db.tx().write(c -> {
            ledger.accepted(c, m, AGENCY, T0);
            return null;
        });

        assertThatThrownBy(() -> db.tx().write(c -> {
            ledger.accepted(c, m, "CN=someone else", T0.plusSeconds(1));
            return null;
        })).isInstanceOfSatisfying(PuenteException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));

        assertThat(trace(db, m.header().messageId())).isEqualTo(new Trace(OutboxState.PENDING, 0, null, null, null,
                List.of(MessageStatus.ACCEPTED), List.of(AuditEventType.SUBMITTED, AuditEventType.SEALED)));
    }

    @OnBothDatabases
    void a_receipt_moves_the_message_once_with_statuses_sent_and_receipted_and_both_events(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        UUID id = accepted(db, ledger, Priority.NORMAL);
        OutboxEntry e = entry(db, id);

        boolean first = db.tx().write(c -> ledger.receipted(c, e, bytes("receipt"), T0.plusSeconds(1), T0.plusSeconds(2),
                T0.plusSeconds(3)));
        Trace after = trace(db, id);
        boolean again = db.tx().write(c -> ledger.receipted(c, e, bytes("second receipt"), T0.plusSeconds(4),
                T0.plusSeconds(5), T0.plusSeconds(6)));

        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(trace(db, id)).as("a repeated receipt writes nothing").isEqualTo(after);
        assertThat(after).isEqualTo(new Trace(OutboxState.RECEIPTED, 1, null, "receipt", null,
                List.of(MessageStatus.ACCEPTED, MessageStatus.SENT, MessageStatus.RECEIPTED),
                List.of(AuditEventType.SUBMITTED, AuditEventType.SEALED, AuditEventType.SENT, AuditEventType.RECEIPTED)));
        assertThat(history(db, id)).extracting(StatusStore.Entry::at)
                .containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2));
        assertThat(story(db, id).subList(2, 4)).extracting(AuditEvent::actor, AuditEvent::at, AuditEvent::envelopeSha256)
                .containsExactly(tuple(GATEWAY, T0.plusSeconds(1), hex(e.envelopeSha256())),
                        tuple(PEER, T0.plusSeconds(3), hex(e.envelopeSha256())));
    }

    @OnBothDatabases
    void a_signed_refusal_fails_the_message_keeps_the_answer_and_audits_its_code(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        UUID id = accepted(db, ledger, Priority.NORMAL);
        OutboxEntry e = entry(db, id);

        boolean refused = db.tx().write(c -> ledger.refused(c, e, bytes("signed refusal"), ErrorCode.UNKNOWN_SIGNER,
                "the peer does not know our signer", T0.plusSeconds(2)));

        assertThat(refused).isTrue();
        assertThat(trace(db, id)).isEqualTo(new Trace(OutboxState.FAILED, 1, "unknown_signer", "signed refusal", null,
                List.of(MessageStatus.ACCEPTED, MessageStatus.FAILED),
                List.of(AuditEventType.SUBMITTED, AuditEventType.SEALED, AuditEventType.SEND_FAILED)));
        assertThat(history(db, id).get(1)).isEqualTo(new StatusStore.Entry(MessageStatus.FAILED,
                T0.plusSeconds(2), "unknown_signer", "the peer does not know our signer"));
        assertThat(story(db, id).get(2)).satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(AuditEvent.REJECTED);
            assertThat(x.errorCode()).isEqualTo("unknown_signer");
        });
    }

    @OnBothDatabases
    void a_message_that_cannot_be_sent_fails_without_counting_an_attempt(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        UUID id = accepted(db, ledger, Priority.NORMAL);
        OutboxEntry e = entry(db, id);

        boolean failed = db.tx().write(c -> ledger.unsendable(c, e, ErrorCode.CERTIFICATE_EXPIRED, "cannot seal",
                T0.plusSeconds(2)));

        assertThat(failed).isTrue();
        assertThat(trace(db, id)).isEqualTo(new Trace(OutboxState.FAILED, 0, "certificate_expired", null, null,
                List.of(MessageStatus.ACCEPTED, MessageStatus.FAILED),
                List.of(AuditEventType.SUBMITTED, AuditEventType.SEALED, AuditEventType.SEND_FAILED)));
    }

    @OnBothDatabases
    void a_failure_of_the_road_counts_each_attempt_and_audits_a_retry_without_a_status(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        UUID id = accepted(db, ledger, Priority.NORMAL);
        OutboxEntry e = entry(db, id);

        boolean first = db.tx().write(c -> ledger.retried(c, e, ErrorCode.PEER_UNREACHABLE, "refused", T0.plusSeconds(1)));
        boolean second = db.tx().write(c -> ledger.retried(c, e, ErrorCode.PEER_TIMEOUT, "slow", T0.plusSeconds(2)));

        assertThat(first).isTrue();
        assertThat(second).isTrue();
        assertThat(trace(db, id)).isEqualTo(new Trace(OutboxState.PENDING, 2, "peer_timeout", null, null,
                List.of(MessageStatus.ACCEPTED), List.of(AuditEventType.SUBMITTED, AuditEventType.SEALED,
                        AuditEventType.SEND_FAILED, AuditEventType.SEND_FAILED)));
        assertThat(story(db, id).subList(2, 4)).extracting(AuditEvent::outcome, AuditEvent::errorCode)
                .containsExactly(tuple(AuditEvent.RETRY, "peer_unreachable"), tuple(AuditEvent.RETRY, "peer_timeout"));
    }

    @OnBothDatabases
    void a_message_whose_time_ran_out_is_expired_with_its_status_and_event(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        UUID id = expired(db, ledger);

        assertThat(trace(db, id)).isEqualTo(new Trace(OutboxState.EXPIRED, 0, "message_expired", null, null,
                List.of(MessageStatus.ACCEPTED, MessageStatus.EXPIRED),
                List.of(AuditEventType.SUBMITTED, AuditEventType.SEALED, AuditEventType.EXPIRED)));
        assertThat(story(db, id).get(2)).satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(AuditEvent.FAILED);
            assertThat(x.errorCode()).isEqualTo("message_expired");
            assertThat(x.detail()).isEqualTo("its time ran out");
        });
    }

    @OnBothDatabases
    void a_delivery_notice_delivers_a_receipted_message_once_and_keeps_the_first_signed_notice(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        UUID id = receipted(db, ledger);
        OutboxEntry e = entry(db, id);
        DeliveryNotice n = DeliveryNotice.delivered(id, "ANAM", T0.plusSeconds(10));

        boolean first = db.tx().write(c -> ledger.delivered(c, e, bytes("signed notice"), n, T0.plusSeconds(11)));
        boolean repeated = db.tx().write(c -> ledger.delivered(c, e, bytes("another signed notice"),
                DeliveryNotice.delivered(id, "ANAM", T0.plusSeconds(20)), T0.plusSeconds(21)));

        assertThat(first).isTrue();
        assertThat(repeated).isFalse();
        assertThat(trace(db, id)).isEqualTo(new Trace(OutboxState.DELIVERED, 1, null, "receipt", "signed notice",
                List.of(MessageStatus.ACCEPTED, MessageStatus.SENT, MessageStatus.RECEIPTED, MessageStatus.DELIVERED),
                List.of(AuditEventType.SUBMITTED, AuditEventType.SEALED, AuditEventType.SENT, AuditEventType.RECEIPTED,
                        AuditEventType.NOTICE_RECEIVED)));
        assertThat(history(db, id).get(3))
                .isEqualTo(new StatusStore.Entry(MessageStatus.DELIVERED, T0.plusSeconds(10), null, "ANAM"));
        assertThat(story(db, id).get(4)).satisfies(x -> {
            assertThat(x.actor()).isEqualTo(PEER);
            assertThat(x.at()).isEqualTo(T0.plusSeconds(11));
            assertThat(x.detail()).contains("ANAM");
        });
    }

    @OnBothDatabases
    void a_delivery_notice_for_a_message_expired_here_records_the_delivery_the_peer_signed(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        UUID id = expired(db, ledger);
        OutboxEntry e = entry(db, id);
        DeliveryNotice n = DeliveryNotice.delivered(id, "ANAM", T0.plusSeconds(10));

        boolean applied = db.tx().write(c -> ledger.delivered(c, e, bytes("signed notice"), n, T0.plusSeconds(11)));

        assertThat(applied).isTrue();
        assertThat(trace(db, id)).isEqualTo(new Trace(OutboxState.DELIVERED, 0, "message_expired", null, "signed notice",
                List.of(MessageStatus.ACCEPTED, MessageStatus.EXPIRED, MessageStatus.DELIVERED),
                List.of(AuditEventType.SUBMITTED, AuditEventType.SEALED, AuditEventType.EXPIRED,
                        AuditEventType.NOTICE_RECEIVED)));
    }

    @OnBothDatabases
    void a_redriven_dead_letter_is_pending_again_under_its_renewed_header_and_new_envelope(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        UUID id = expired(db, ledger);
        OutboxEntry dead = entry(db, id);
        Instant later = T0.plusSeconds(86_400 * 2);
        EnvelopeHeader renewed = header(id, CBP, ANAM, Priority.NORMAL, later);
        SealedEnvelope sealed = new SealedEnvelope(bytes("resealed envelope"), sha("resealed envelope"));

        boolean redriven = db.tx().write(c -> ledger.redriven(c, dead, renewed, sealed, "CN=US operator", later));
        boolean twice = db.tx().write(c -> ledger.redriven(c, dead, renewed, sealed, "CN=US operator", later));

        assertThat(redriven).isTrue();
        assertThat(twice).isFalse();
        OutboxEntry e = entry(db, id);
        assertThat(e.state()).isEqualTo(OutboxState.PENDING);
        assertThat(e.header()).isEqualTo(renewed);
        assertThat(e.expiresAt()).isEqualTo(renewed.expiresAt());
        assertThat(e.createdAt()).isEqualTo(later);
        assertThat(db.tx().read(c -> outbox.findForSending(c, List.of(id))).get(0).envelope()).isEqualTo(sealed.bytes());
        assertThat(e.envelopeSha256()).isEqualTo(sealed.sha256());
        assertThat(trace(db, id)).isEqualTo(new Trace(OutboxState.PENDING, 0, null, null, null,
                List.of(MessageStatus.ACCEPTED, MessageStatus.EXPIRED),
                List.of(AuditEventType.SUBMITTED, AuditEventType.SEALED, AuditEventType.EXPIRED,
                        AuditEventType.MESSAGE_REDRIVEN, AuditEventType.SEALED)));
        assertThat(story(db, id).subList(3, 5)).extracting(AuditEvent::actor, AuditEvent::envelopeSha256)
                .containsExactly(tuple("CN=US operator", null), tuple(GATEWAY, hex(sealed.sha256())));
    }

    @OnBothDatabases
    void a_change_asked_of_a_message_not_in_the_state_it_leaves_writes_nothing(TestDatabase db) {
        OutboundLedger ledger = ledger(db);
        UUID pending = accepted(db, ledger, Priority.NORMAL);
        UUID receipted = receipted(db, ledger);
        UUID expired = expired(db, ledger);
        OutboxEntry p = entry(db, pending);
        OutboxEntry r = entry(db, receipted);
        OutboxEntry x = entry(db, expired);
        DeliveryNotice notice = DeliveryNotice.delivered(pending, "ANAM", T0);
        SealedEnvelope sealed = new SealedEnvelope(bytes("envelope"), sha("envelope"));
        Trace pendingBefore = trace(db, pending);
        Trace receiptedBefore = trace(db, receipted);
        Trace expiredBefore = trace(db, expired);
        Instant now = T0.plusSeconds(60);

        List<Boolean> applied = List.of(
                db.tx().write(c -> ledger.delivered(c, p, bytes("notice"), notice, now)),
                db.tx().write(c -> ledger.redriven(c, p, p.header(), sealed, "CN=US operator", now)),
                db.tx().write(c -> ledger.receipted(c, r, bytes("late receipt"), now, now, now)),
                db.tx().write(c -> ledger.refused(c, r, bytes("late refusal"), ErrorCode.BAD_SIGNATURE, "late", now)),
                db.tx().write(c -> ledger.unsendable(c, r, ErrorCode.CERTIFICATE_EXPIRED, "late", now)),
                db.tx().write(c -> ledger.retried(c, r, ErrorCode.PEER_TIMEOUT, "late", now)),
                db.tx().write(c -> ledger.expired(c, r, "late", now)),
                db.tx().write(c -> ledger.redriven(c, r, r.header(), sealed, "CN=US operator", now)),
                db.tx().write(c -> ledger.receipted(c, x, bytes("late receipt"), now, now, now)),
                db.tx().write(c -> ledger.retried(c, x, ErrorCode.PEER_TIMEOUT, "late", now)));

        assertThat(applied).containsOnly(false).hasSize(10);
        assertThat(trace(db, pending)).isEqualTo(pendingBefore);
        assertThat(trace(db, receipted)).isEqualTo(receiptedBefore);
        assertThat(trace(db, expired)).isEqualTo(expiredBefore);
    }

    private List<StatusStore.Entry> history(TestDatabase db, UUID id) {
        return db.tx().read(c -> statuses.history(c, id));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static long rows(TestDatabase db, String sql, Object... params) {
        return db.tx().read(c -> count(c, sql, params));
    }
}
