package org.puente.engine.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.puente.engine.testing.StoreFixtures.ANAM;
import static org.puente.engine.testing.StoreFixtures.CBP;
import static org.puente.engine.testing.StoreFixtures.SAT;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.count;
import static org.puente.engine.testing.StoreFixtures.inbound;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.Jdbc;
import org.junit.jupiter.api.Test;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.store.Transactions;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.testing.TestPayloads;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;
import org.puente.model.error.ErrorCode;

/**
 * Every change of a received message's life writes the inbox row, its audit events and the work
 * it calls for in the caller's unit, once: a duplicate stores nothing but its audit event, and an
 * acknowledgement, however often it comes, queues one delivery notice.
 */
class InboundLedgerTest {
    private static final String GATEWAY = "gateway.mx.puente.sample";
    private static final String PEER = "gateway.us.puente.sample";
    /** An agency that takes its messages from an outbound drop folder. */
    private static final AgencyRef SENASICA = new AgencyRef(Country.MX, "SENASICA");

    private final InboxStore inbox = TestPayloads.inbox();

    /** ANAM pulls; SAT has a push endpoint; SENASICA a drop folder. */
    private InboundLedger ledger(TestDatabase db) {
        AuditLog audit = new AuditLog(Country.MX, db.database().dialect());
        db.tx().addParticipant(audit);
        return new InboundLedger(inbox, new WorkQueue(db.database().dialect()), audit,
                InboundLedger.handOvers(List.of("SAT"), List.of("SENASICA")), GATEWAY, PEER);
    }

    private static EnvelopeHeader header(AgencyRef receiver, Priority priority, Instant createdAt, Duration ttl) {
        UUID id = UUID.randomUUID();
        return new EnvelopeHeader(id, id.toString(), "cargo.manifest", "1.0", CBP, receiver, "CMAA-2000",
                "RISK_ASSESSMENT", Sensitivity.COMMERCIAL_CONFIDENTIAL, "en", createdAt, ttl, priority);
    }

    private static EnvelopeHeader header(AgencyRef receiver) {
        return header(receiver, Priority.NORMAL, T0, Duration.ofHours(24));
    }

    private InboxStore.NewMessage stored(TestDatabase db, InboundLedger ledger, EnvelopeHeader h) {
        InboxStore.NewMessage m = inbound(h, "receipt of " + h.messageId());
        assertThat((boolean) db.tx().write(c -> ledger.stored(c, m, T0))).isTrue();
        return m;
    }

    private InboxEntry entry(TestDatabase db, UUID id) {
        return db.tx().read(c -> inbox.find(c, id)).orElseThrow();
    }

    private static List<AuditEvent> story(TestDatabase db, UUID id) {
        return db.tx().read(c -> new AuditStore().story(c, id)).stream().map(AuditEntry::event).toList();
    }

    /** Jobs of a message: kind, lane, size, run time and expiry. */
    private record JobRow(String kind, int lane, long size, Instant runAt, Instant expiresAt) {
    }

    private static List<JobRow> jobs(TestDatabase db, UUID id) {
        return db.tx().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, lane, size_bytes, run_at, expires_at FROM work"
                    + " WHERE ref = ? ORDER BY id")) {
                Jdbc.bind(ps, id.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    List<JobRow> out = new java.util.ArrayList<>();
                    while (rs.next()) {
                        out.add(new JobRow(rs.getString(1), rs.getInt(2), rs.getLong(3), Jdbc.instant(rs, "run_at"),
                                Jdbc.instant(rs, "expires_at")));
                    }
                    return out;
                }
            }
        });
    }

    @OnBothDatabases
    void a_message_for_an_agency_that_pulls_is_stored_and_audited_received_and_stored_with_no_job(TestDatabase db) {
        InboundLedger ledger = ledger(db);
        EnvelopeHeader h = header(ANAM);

        InboxStore.NewMessage m = stored(db, ledger, h);

        InboxEntry e = entry(db, h.messageId());
        assertThat(e.state()).isEqualTo(InboxStore.STORED);
        assertThat(e.receivedAt()).isEqualTo(T0);
        assertThat(story(db, h.messageId())).extracting(AuditEvent::event, AuditEvent::actor, AuditEvent::payloadSha256,
                        AuditEvent::envelopeSha256)
                .containsExactly(tuple(AuditEventType.RECEIVED, PEER, hex(m.payloadSha256()), hex(m.envelopeSha256())),
                        tuple(AuditEventType.STORED, GATEWAY, hex(m.payloadSha256()), hex(m.envelopeSha256())));
        assertThat(jobs(db, h.messageId())).isEmpty();
    }

    @OnBothDatabases
    void a_message_for_an_agency_with_a_push_endpoint_queues_its_push_for_at_least_a_day(TestDatabase db) {
        InboundLedger ledger = ledger(db);
        // it expires in an hour: the push is still tried for a day (the mailbox keeps it anyway)
        EnvelopeHeader shortLived = header(SAT, Priority.URGENT, T0.minus(Duration.ofHours(23)), Duration.ofHours(24));
        EnvelopeHeader longLived = header(SAT, Priority.BULK, T0, Duration.ofDays(3));

        InboxStore.NewMessage m = stored(db, ledger, shortLived);
        stored(db, ledger, longLived);

        assertThat(jobs(db, shortLived.messageId())).containsExactly(new JobRow("AGENCY_PUSH", 0, m.payload().length, T0,
                T0.plus(Duration.ofDays(1))));
        assertThat(jobs(db, longLived.messageId())).singleElement().satisfies(j -> {
            assertThat(j.lane()).isEqualTo(2);
            assertThat(j.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(3)));
        });
    }

    @OnBothDatabases
    void a_message_for_an_agency_with_a_drop_folder_queues_its_file(TestDatabase db) {
        InboundLedger ledger = ledger(db);
        EnvelopeHeader h = header(SENASICA);

        stored(db, ledger, h);

        assertThat(jobs(db, h.messageId())).extracting(JobRow::kind).containsExactly("DROP_FILE");
    }

    @Test
    void an_agency_with_both_a_push_endpoint_and_a_drop_folder_is_pushed_to() {
        Map<String, WorkKind> handOvers = InboundLedger.handOvers(List.of("SAT"), List.of("SAT", "SENASICA"));

        assertThat(handOvers).containsOnly(Map.entry("SAT", WorkKind.AGENCY_PUSH), Map.entry("SENASICA", WorkKind.DROP_FILE));
    }

    @OnBothDatabases
    void a_duplicate_is_audited_as_such_and_changes_nothing_else(TestDatabase db) {
        InboundLedger ledger = ledger(db);
        EnvelopeHeader h = header(SAT);
        stored(db, ledger, h);
        InboxEntry before = entry(db, h.messageId());
        InboxStore.NewMessage copy = new InboxStore.NewMessage(h, "{\"other\":1}".getBytes(StandardCharsets.UTF_8),
                org.puente.engine.testing.StoreFixtures.sha("other payload"),
                org.puente.engine.testing.StoreFixtures.sha("other envelope"), "other receipt".getBytes(StandardCharsets.UTF_8));

        boolean fresh = db.tx().write(c -> ledger.stored(c, copy, T0.plusSeconds(30)));

        assertThat(fresh).isFalse();
        InboxEntry after = entry(db, h.messageId());
        assertThat(after.payload()).isEqualTo(before.payload());
        assertThat(after.receivedAt()).isEqualTo(T0);
        assertThat(receiptOf(db, h.messageId())).get()
                .extracting(b -> new String(b, StandardCharsets.UTF_8)).isEqualTo("receipt of " + h.messageId());
        assertThat(story(db, h.messageId())).extracting(AuditEvent::event)
                .containsExactly(AuditEventType.RECEIVED, AuditEventType.STORED, AuditEventType.DUPLICATE);
        assertThat(story(db, h.messageId()).get(2).at()).isEqualTo(T0.plusSeconds(30));
        assertThat(jobs(db, h.messageId())).hasSize(1);
    }

    @OnBothDatabases
    void the_first_hand_over_is_audited_once_with_its_way(TestDatabase db) {
        InboundLedger ledger = ledger(db);
        EnvelopeHeader h = header(ANAM);
        stored(db, ledger, h);
        InboxEntry e = entry(db, h.messageId());

        boolean first = db.tx().write(c -> ledger.handedOver(c, e, InboundLedger.PULL, "CN=ANAM agency system",
                T0.plusSeconds(5)));
        boolean again = db.tx().write(c -> ledger.handedOver(c, e, InboundLedger.PULL, "CN=ANAM agency system",
                T0.plusSeconds(6)));

        assertThat(first).isTrue();
        assertThat(again).isFalse();
        InboxEntry after = entry(db, h.messageId());
        assertThat(after.deliveredAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(after.deliveredVia()).isEqualTo(InboundLedger.PULL);
        assertThat(story(db, h.messageId())).extracting(AuditEvent::event, AuditEvent::actor)
                .containsExactly(tuple(AuditEventType.RECEIVED, PEER), tuple(AuditEventType.STORED, GATEWAY),
                        tuple(AuditEventType.DELIVERED, "CN=ANAM agency system"));
    }

    @OnBothDatabases
    void an_acknowledgement_queues_exactly_one_delivery_notice_however_often_it_comes(TestDatabase db) {
        InboundLedger ledger = ledger(db);
        EnvelopeHeader h = header(ANAM, Priority.URGENT, T0, Duration.ofHours(24));
        stored(db, ledger, h);
        InboxEntry e = entry(db, h.messageId());
        Instant ackAt = T0.plusSeconds(60);

        boolean first = db.tx().write(c -> ledger.acknowledged(c, e, InboundLedger.PULL, "CN=ANAM agency system", ackAt));
        boolean again = db.tx().write(c -> ledger.acknowledged(c, e, InboundLedger.PULL, "CN=ANAM agency system",
                ackAt.plusSeconds(1)));
        // the notice went out and its job is gone: a late repeat must not queue a second notice
        db.tx().write(c -> {
            try (var st = c.createStatement()) {
                return st.executeUpdate("DELETE FROM work WHERE kind = 'DELIVERY_NOTICE'");
            }
        });
        boolean afterNotice = db.tx().write(c -> ledger.acknowledged(c, e, InboundLedger.PULL, "CN=ANAM agency system",
                ackAt.plusSeconds(2)));

        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(afterNotice).isFalse();
        assertThat(rows(db, "SELECT COUNT(*) FROM work")).isZero();
        assertThat(story(db, h.messageId())).extracting(AuditEvent::event)
                .containsExactly(AuditEventType.RECEIVED, AuditEventType.STORED, AuditEventType.ACKNOWLEDGED);
        InboxEntry after = entry(db, h.messageId());
        assertThat(after.state()).isEqualTo(InboxStore.ACKNOWLEDGED);
        assertThat(after.acknowledgedAt()).isEqualTo(ackAt);
    }

    @OnBothDatabases
    void an_acknowledgement_queues_its_notice_for_the_peer_in_the_messages_lane_for_thirty_days(TestDatabase db) {
        InboundLedger ledger = ledger(db);
        EnvelopeHeader h = header(ANAM, Priority.URGENT, T0, Duration.ofHours(24));
        stored(db, ledger, h);
        InboxEntry e = entry(db, h.messageId());
        Instant ackAt = T0.plusSeconds(60);

        db.tx().write(c -> ledger.acknowledged(c, e, InboundLedger.PULL, "CN=ANAM agency system", ackAt));

        assertThat(jobs(db, h.messageId())).containsExactly(new JobRow("DELIVERY_NOTICE", 0, 0, ackAt,
                ackAt.plus(Duration.ofDays(30))));
    }

    @OnBothDatabases
    void two_acknowledgements_written_together_queue_one_notice(TestDatabase db) {
        InboundLedger ledger = ledger(db);
        EnvelopeHeader h = header(SAT);
        stored(db, ledger, h);
        InboxEntry e = entry(db, h.messageId());
        // the agency's acknowledgement and its push endpoint's answer racing each other
        List<Transactions.Work<Boolean>> units = List.of(
                c -> ledger.acknowledged(c, e, InboundLedger.PULL, "CN=SAT agency system", T0.plusSeconds(1)),
                c -> ledger.acknowledged(c, e, InboundLedger.PUSH, "https://sat.example/inbox", T0.plusSeconds(1)));

        List<Transactions.Outcome<Boolean>> outcomes = db.tx().writeAll(units);

        assertThat(outcomes).extracting(Transactions.Outcome::value).containsExactly(true, false);
        assertThat(jobs(db, h.messageId())).extracting(JobRow::kind).containsExactly("AGENCY_PUSH", "DELIVERY_NOTICE");
        assertThat(entry(db, h.messageId()).deliveredVia()).isEqualTo(InboundLedger.PULL);
    }

    @OnBothDatabases
    void a_refused_envelope_push_failure_and_sent_notice_are_audited_and_nothing_else_changes(TestDatabase db) {
        InboundLedger ledger = ledger(db);
        EnvelopeHeader refusedHeader = header(ANAM);
        EnvelopeHeader h = header(SAT);
        stored(db, ledger, h);
        InboxEntry e = entry(db, h.messageId());

        db.tx().write(c -> {
            ledger.refused(c, refusedHeader, sha("p"), sha("e"), ErrorCode.BAD_SIGNATURE, "signature does not verify", T0);
            ledger.pushFailed(c, e, "https://sat.example/inbox", "HTTP 503", T0.plusSeconds(1));
            ledger.noticeSent(c, e, T0.plusSeconds(2));
            return null;
        });

        assertThat(find(db, refusedHeader.messageId())).isEmpty();
        assertThat(story(db, refusedHeader.messageId())).singleElement().satisfies(x -> {
            assertThat(x.event()).isEqualTo(AuditEventType.PEER_REJECTED);
            assertThat(x.actor()).isEqualTo(PEER);
            assertThat(x.outcome()).isEqualTo(AuditEvent.REJECTED);
            assertThat(x.errorCode()).isEqualTo("bad_signature");
        });
        assertThat(story(db, h.messageId()).subList(2, 4)).extracting(AuditEvent::event, AuditEvent::outcome,
                        AuditEvent::errorCode)
                .containsExactly(tuple(AuditEventType.PUSH_FAILED, AuditEvent.RETRY, "peer_unreachable"),
                        tuple(AuditEventType.NOTICE_SENT, AuditEvent.OK, null));
        assertThat(entry(db, h.messageId()).state()).isEqualTo(InboxStore.STORED);
        assertThat(jobs(db, h.messageId())).extracting(JobRow::kind).containsExactly("AGENCY_PUSH");
    }

    @OnBothDatabases
    void a_stored_message_and_its_job_are_undone_with_a_unit_that_fails_after_them(TestDatabase db) {
        InboundLedger ledger = ledger(db);
        EnvelopeHeader h = header(SAT);

        Optional<Throwable> failure = Optional.ofNullable(db.tx().writeAll(List.<Transactions.Work<Void>>of(c -> {
            ledger.stored(c, inbound(h, "receipt"), T0);
            throw new java.sql.SQLException("the receipt cannot be kept");
        })).get(0).failure());

        assertThat(failure).get().isInstanceOfSatisfying(org.puente.model.error.PuenteException.class,
                f -> assertThat(f.errorCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
        for (String table : List.of("inbox", "audit_event", "work")) {
            assertThat(rows(db, "SELECT COUNT(*) FROM " + table)).as(table).isZero();
        }
    }

    private Optional<byte[]> receiptOf(TestDatabase db, UUID id) {
        return db.tx().read(c -> inbox.receiptOf(c, id));
    }

    private Optional<InboxEntry> find(TestDatabase db, UUID id) {
        return db.tx().read(c -> inbox.find(c, id));
    }

    private static byte[] sha(String s) {
        return org.puente.engine.testing.StoreFixtures.sha(s);
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static long rows(TestDatabase db, String sql, Object... params) {
        return db.tx().read(c -> count(c, sql, params));
    }
}
