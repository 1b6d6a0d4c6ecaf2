package org.puente.engine.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.testing.StoreFixtures.ANAM;
import static org.puente.engine.testing.StoreFixtures.CBP;
import static org.puente.engine.testing.StoreFixtures.SAT;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.header;
import static org.puente.engine.testing.StoreFixtures.outbound;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.puente.audit.AuditEventType;
import org.puente.audit.store.AuditStore;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.RecordingObserver;
import org.puente.engine.testing.SamplePeers;
import org.puente.engine.testing.TestClock;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.testing.TestPayloads;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.answer.BusinessAnswer;
import org.puente.model.answer.BusinessStatus;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The US gateway records the Mexican gateway's signed delivery notices (real CMS from the sample
 * PKI): a notice is acknowledged to the peer only once it is recorded, so a notice that overtakes
 * its message's receipt (the receipt was lost on the way back and is still to be retried) is
 * answered {@code later} and leaves no trace until the receipt is in.
 */
class NoticeReceiverTest {
    private final OutboxStore outbox = TestPayloads.outbox();
    private final StatusStore statuses = new StatusStore();
    private final TestClock clock = new TestClock(T0.plusSeconds(30));
    private final RecordingObserver observer = new RecordingObserver();
    /** The Mexican gateway, which signs the notices. */
    private final PeerEnvelopes mx = SamplePeers.envelopes(Country.MX, clock);

    /** The US gateway's ledger and notice receiver over {@code db}. */
    private record Us(OutboundLedger ledger, NoticeReceiver receiver) {
    }

    private Us us(TestDatabase db) {
        AuditLog audit = new AuditLog(Country.US, db.database().dialect());
        db.tx().addParticipant(audit);
        OutboundLedger ledger = new OutboundLedger(outbox, statuses, audit, SamplePeers.US_GATEWAY, SamplePeers.MX_GATEWAY);
        return new Us(ledger, new NoticeReceiver(db.tx(), outbox, ledger, new org.puente.engine.work.WorkQueue(db.database().dialect()),
                SamplePeers.envelopes(Country.US, clock), clock,
                observer));
    }

    /** Everything a notice may change about one message. */
    private record Trace(OutboxState state, byte[] notice, List<MessageStatus> statuses, List<AuditEventType> events) {
    }

    private Trace trace(TestDatabase db, UUID id) {
        return db.tx().read(c -> new Trace(outbox.find(c, id).orElseThrow().state(),
                outbox.proofs(c, id).orElseThrow().deliveryNotice(),
                statuses.history(c, id).stream().map(StatusStore.Entry::status).toList(),
                new AuditStore().story(c, id).stream().map(x -> x.event().event()).toList()));
    }

    private UUID pending(TestDatabase db, Us us, EnvelopeHeader h) {
        db.tx().write(c -> {
            us.ledger().accepted(c, outbound(h, null), "CN=CBP agency system", T0);
            return null;
        });
        return h.messageId();
    }

    private UUID receipted(TestDatabase db, Us us, EnvelopeHeader h) {
        UUID id = pending(db, us, h);
        receive(db, us, id);
        return id;
    }

    /** The peer's receipt reaches the US gateway (as the envelope worker records it). */
    private void receive(TestDatabase db, Us us, UUID id) {
        OutboxEntry e = db.tx().read(c -> outbox.find(c, id)).orElseThrow();
        assertThat((boolean) db.tx().write(c -> us.ledger().receipted(c, e, bytes("receipt of " + id), T0.plusSeconds(1),
                T0.plusSeconds(2), T0.plusSeconds(3)))).isTrue();
    }

    private byte[] notice(UUID id, String agency) {
        return mx.signNotice(DeliveryNotice.delivered(id, agency, T0.plusSeconds(10)));
    }

    private static PeerProtocol.NoticeBatch batch(byte[]... notices) {
        return new PeerProtocol.NoticeBatch(List.of(notices));
    }

    @OnBothDatabases
    void a_notice_for_a_message_that_expired_here_records_its_delivery_and_drops_its_dead_letter(TestDatabase db) {
        Us us = us(db);
        UUID id = pending(db, us, header(UUID.randomUUID(), CBP, ANAM, Priority.NORMAL, T0));
        org.puente.engine.work.WorkQueue queue = new org.puente.engine.work.WorkQueue(db.database().dialect());
        db.tx().write(c -> {
            queue.enqueue(c, org.puente.engine.work.NewJob.forMessage(org.puente.engine.work.WorkKind.PEER_ENVELOPE, id,
                    org.puente.engine.work.Lane.NORMAL, 10, T0, T0.plusSeconds(1)), T0);
            us.ledger().expired(c, outbox.find(c, id).orElseThrow(), "time-to-live ran out", T0.plusSeconds(2));
            return null;
        });
        db.tx().write(c -> queue.bury(c, queue.expired(c, org.puente.engine.work.WorkKind.PEER_ENVELOPE, T0.plusSeconds(2), 1)
                .get(0), "me", org.puente.model.error.ErrorCode.MESSAGE_EXPIRED, "expired", T0.plusSeconds(2)));
        byte[] notice = notice(id, "ANAM");

        PeerProtocol.NoticeAnswer answer = us.receiver().receive(batch(notice));

        assertThat(answer).isEqualTo(new PeerProtocol.NoticeAnswer(1, List.of()));
        Trace t = trace(db, id);
        assertThat(t.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(t.notice()).as("the signed notice is kept as the proof").isEqualTo(notice);
        assertThat(t.statuses()).containsExactly(MessageStatus.ACCEPTED, MessageStatus.EXPIRED, MessageStatus.DELIVERED);
        List<org.puente.engine.work.WorkQueue.DeadJob> dead = db.tx().read(c -> queue.dead(c, null, 10));
        assertThat(dead).as("no dead letter left for a delivered message").isEmpty();
    }

    @OnBothDatabases
    void a_notice_for_a_pending_message_is_answered_later_and_recorded_once_only_after_the_receipt(TestDatabase db) {
        Us us = us(db);
        UUID id = pending(db, us, header(UUID.randomUUID(), CBP, ANAM, Priority.NORMAL, T0));
        byte[] notice = notice(id, "ANAM");

        PeerProtocol.NoticeAnswer early = us.receiver().receive(batch(notice));
        Trace afterEarly = trace(db, id);
        receive(db, us, id);
        PeerProtocol.NoticeAnswer sentAgain = us.receiver().receive(batch(notice));
        PeerProtocol.NoticeAnswer repeated = us.receiver().receive(batch(notice));

        assertThat(early).isEqualTo(new PeerProtocol.NoticeAnswer(0, List.of(id)));
        assertThat(afterEarly).as("nothing recorded for the early notice").isEqualTo(new Trace(OutboxState.PENDING, null,
                List.of(MessageStatus.ACCEPTED), List.of(AuditEventType.SUBMITTED, AuditEventType.SEALED)));
        assertThat(sentAgain).isEqualTo(new PeerProtocol.NoticeAnswer(1, List.of()));
        assertThat(repeated).as("a repeated notice is accepted and records nothing more")
                .isEqualTo(new PeerProtocol.NoticeAnswer(1, List.of()));
        Trace delivered = trace(db, id);
        assertThat(delivered.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(delivered.notice()).as("the signed notice is kept as the proof").isEqualTo(notice);
        assertThat(delivered.statuses()).containsExactly(MessageStatus.ACCEPTED, MessageStatus.SENT,
                MessageStatus.RECEIPTED, MessageStatus.DELIVERED);
        assertThat(delivered.events()).containsExactly(AuditEventType.SUBMITTED, AuditEventType.SEALED, AuditEventType.SENT,
                AuditEventType.RECEIPTED, AuditEventType.NOTICE_RECEIVED);
        assertThat(observer.calls()).containsExactly("deliveredToAgency " + id);
        StatusStore.Entry last = db.tx().read(c -> statuses.history(c, id)).get(3);
        assertThat(last).isEqualTo(new StatusStore.Entry(MessageStatus.DELIVERED, T0.plusSeconds(10), null, "ANAM"));
    }

    @OnBothDatabases
    void a_batch_counts_the_recorded_notices_lists_only_pending_messages_as_later_and_skips_the_rest(TestDatabase db) {
        Us us = us(db);
        UUID pending = pending(db, us, header(UUID.randomUUID(), CBP, ANAM, Priority.NORMAL, T0));
        UUID receipted = receipted(db, us, header(UUID.randomUUID(), CBP, ANAM, Priority.URGENT, T0));
        UUID toSat = pending(db, us, header(UUID.randomUUID(), CBP, SAT, Priority.NORMAL, T0));
        UUID neverSent = UUID.randomUUID();
        // signed by the US gateway's own key: not under the Mexican root the notices must chain to
        byte[] forged = SamplePeers.envelopes(Country.US, clock).signNotice(DeliveryNotice.delivered(receipted, "ANAM", T0.plusSeconds(10)));
        Trace satBefore = trace(db, toSat);

        PeerProtocol.NoticeAnswer answer = us.receiver().receive(batch(notice(neverSent, "ANAM"), forged,
                notice(pending, "ANAM"), notice(toSat, "ANAM"), notice(receipted, "ANAM")));

        assertThat(answer).isEqualTo(new PeerProtocol.NoticeAnswer(1, List.of(pending)));
        assertThat(trace(db, receipted).state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(trace(db, pending).state()).isEqualTo(OutboxState.PENDING);
        assertThat(trace(db, toSat)).as("a notice naming another agency than the receiver is not its notice")
                .usingRecursiveComparison().isEqualTo(satBefore);
        assertThat(observer.calls()).containsExactly("deliveredToAgency " + receipted);
        assertThatThrownBy(() -> SamplePeers.envelopes(Country.US, clock).verifyNotice(forged))
                .isInstanceOfSatisfying(PuenteException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNTRUSTED_CHAIN));
    }

    @OnBothDatabases
    void an_answer_notice_is_recorded_once_beside_the_delivery_and_a_malformed_or_forged_one_is_not(TestDatabase db) {
        Us us = us(db);
        UUID id = receipted(db, us, header(UUID.randomUUID(), CBP, ANAM, Priority.NORMAL, T0));
        BusinessAnswer refused = new BusinessAnswer(BusinessStatus.REFUSED,
                List.of(new BusinessAnswer.Reason("hs_code_unknown", "HS code 999999 is not in the tariff.", null)));
        byte[] answered = mx.signNotice(DeliveryNotice.answered(id, "ANAM", T0.plusSeconds(9), refused));
        byte[] withoutReason = mx.signNotice(DeliveryNotice.answered(id, "ANAM", T0.plusSeconds(9),
                new BusinessAnswer(BusinessStatus.REFUSED, List.of())));
        byte[] withoutAnswer = mx.signNotice(new DeliveryNotice(id, DeliveryNotice.ANSWERED, "ANAM", T0.plusSeconds(9), null, null));
        byte[] otherStatus = mx.signNotice(new DeliveryNotice(id, "READ", "ANAM", T0.plusSeconds(9), null, null));
        byte[] forged = SamplePeers.envelopes(Country.US, clock).signNotice(
                DeliveryNotice.answered(id, "ANAM", T0.plusSeconds(9), refused));
        byte[] secondAnswer = mx.signNotice(DeliveryNotice.answered(id, "ANAM", T0.plusSeconds(12),
                new BusinessAnswer(BusinessStatus.ACCEPTED, List.of())));

        PeerProtocol.NoticeAnswer refusedOnes = us.receiver().receive(batch(withoutReason, withoutAnswer, otherStatus, forged));
        PeerProtocol.NoticeAnswer first = us.receiver().receive(batch(answered, notice(id, "ANAM")));
        PeerProtocol.NoticeAnswer again = us.receiver().receive(batch(secondAnswer, answered));

        assertThat(refusedOnes).isEqualTo(new PeerProtocol.NoticeAnswer(0, List.of()));
        assertThat(first).isEqualTo(new PeerProtocol.NoticeAnswer(2, List.of()));
        assertThat(again).as("a second answer is acknowledged to the peer and changes nothing")
                .isEqualTo(new PeerProtocol.NoticeAnswer(2, List.of()));
        Trace t = trace(db, id);
        assertThat(t.state()).isEqualTo(OutboxState.DELIVERED);
        assertThat(t.statuses()).containsExactly(MessageStatus.ACCEPTED, MessageStatus.SENT, MessageStatus.RECEIPTED,
                MessageStatus.ANSWERED, MessageStatus.DELIVERED);
        assertThat(t.events()).containsOnlyOnce(AuditEventType.ANSWER_RECEIVED);
        org.puente.engine.answer.AnswerRows.Row row = db.tx().read(c -> org.puente.engine.answer.AnswerRows.find(c, id))
                .orElseThrow();
        assertThat(row.answer()).isEqualTo(refused);
        assertThat(row.direction()).isEqualTo(org.puente.engine.answer.AnswerRows.RECEIVED);
        byte[] kept = db.tx().read(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT notice FROM business_answer WHERE message_id = ?")) {
                org.puente.audit.store.Jdbc.bind(ps, id);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }
        });
        assertThat(kept).as("the peer's signed notice is kept as the proof").isEqualTo(answered);
        assertThat(observer.calls()).contains("answered " + id + " REFUSED");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
