package org.puente.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.count;
import static org.puente.engine.testing.StoreFixtures.execute;
import static org.puente.engine.testing.StoreFixtures.header;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Optional;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.AuditHash;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.Jdbc;
import org.puente.engine.audit.AuditFixtures;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.inbound.InboxEntry;
import org.puente.engine.inbound.InboxRows;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.inbound.MailboxMessages;
import org.puente.engine.outbound.OutboxState;
import org.puente.engine.outbound.OutboxEntry;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.store.Digests;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestClock;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.testing.TestPayloads;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The payload sweep, on both databases: after the retention it purges exactly the payloads of
 * finished messages (every outbox state but PENDING, acknowledged inbox messages), keeps their
 * digests, receipts, notices and states, answers {@code payload_purged} for them, audits each
 * purge once, and leaves an audit chain that still verifies (every hash recomputed and linked).
 */
class PayloadRetentionTest {
    private static final Duration RETENTION = Duration.ofDays(30);
    /** Finished long enough ago: due. */
    private static final Instant OLD = T0;
    /** Finished a day before the retention runs out: not due. */
    private static final Instant RECENT = T0.plus(Duration.ofDays(2));
    private static final Instant SWEEP = T0.plus(Duration.ofDays(31));

    private final OutboxStore outbox = TestPayloads.outbox();
    private final InboxStore inbox = TestPayloads.inbox();

    /** The messages of one test, by what should become of them. */
    private record Messages(Map<String, UUID> out, Map<String, UUID> in) {
    }

    @OnBothDatabases
    void the_sweep_purges_exactly_the_payloads_of_messages_finished_before_the_retention(TestDatabase db) throws Exception {
        AuditLog audit = registered(db);
        Messages m = exchange(db, audit);
        Map<String, Row> before = rows(db, m);

        PayloadRetention.Sweep sweep = retention(db, audit, SWEEP).sweep();

        assertThat(sweep.purgedOutbound()).isEqualTo(4);
        assertThat(sweep.purgedInbound()).isEqualTo(1);
        assertThat(sweep.encrypted()).isZero();
        Map<String, Row> after = rows(db, m);
        for (String name : List.of("out RECEIPTED old", "out DELIVERED old", "out FAILED old", "out EXPIRED old",
                "in ACKNOWLEDGED old")) {
            Row r = after.get(name);
            assertThat(r.payload()).as(name).isEmpty();
            assertThat(r.purgedAt()).as(name).isEqualTo(SWEEP);
            assertThat(r.keptColumns()).as(name + ": digests, receipts, notices, states").isEqualTo(before.get(name).keptColumns());
            if (name.startsWith("out")) {
                assertThat(r.envelope()).as(name + ": the sealed copy goes too").isNull();
            }
        }
        for (String name : List.of("out PENDING old", "out DELIVERED recent", "in STORED old", "in ACKNOWLEDGED recent")) {
            assertThat(after.get(name)).as(name + " is untouched").isEqualTo(before.get(name));
            assertThat(after.get(name).purgedAt()).isNull();
        }
    }

    @OnBothDatabases
    void a_purged_payload_is_answered_payload_purged_and_the_rest_of_the_message_stays(TestDatabase db) throws Exception {
        AuditLog audit = registered(db);
        Messages m = exchange(db, audit);
        retention(db, audit, SWEEP).sweep();
        UUID sentAndDelivered = m.out().get("out DELIVERED old");
        UUID expired = m.out().get("out EXPIRED old");
        UUID received = m.in().get("in ACKNOWLEDGED old");

        InboxEntry entry = db.tx().read(c -> inbox.find(c, received)).orElseThrow();

        assertThat(entry.payloadPurged()).isTrue();
        assertThat(entry.state()).isEqualTo(InboxStore.ACKNOWLEDGED);
        assertThat(entry.payloadSha256()).isEqualTo(Digests.sha256(payload("in ACKNOWLEDGED old")));
        for (Runnable read : List.<Runnable>of(entry::payload, () -> MailboxMessages.one(entry),
                () -> db.tx().read(c -> outbox.payload(c, sentAndDelivered)),
                () -> db.tx().read(c -> outbox.payload(c, expired)))) {
            assertThatThrownBy(read::run).isInstanceOfSatisfying(PuenteException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.PAYLOAD_PURGED);
                assertThat(e.errorCode().httpStatus()).isEqualTo(410);
                assertThat(e.args()).element(1).isEqualTo(SWEEP);
            });
        }
        assertThat(db.tx().<Optional<OutboxEntry>>read(c -> outbox.find(c, sentAndDelivered))).get()
                .satisfies(e -> assertThat(e.state()).isEqualTo(OutboxState.DELIVERED));
        assertThat(db.tx().<Optional<OutboxStore.Proofs>>read(c -> outbox.proofs(c, sentAndDelivered))).get().satisfies(p -> {
            assertThat(p.receipt()).isEqualTo(("receipt of " + sentAndDelivered).getBytes(StandardCharsets.UTF_8));
            assertThat(p.deliveryNotice()).isEqualTo(("notice of " + sentAndDelivered).getBytes(StandardCharsets.UTF_8));
        });
        assertThat(db.tx().<Optional<byte[]>>read(c -> outbox.payload(c, m.out().get("out DELIVERED recent")))).get()
                .isEqualTo(payload("out DELIVERED recent"));
        assertThat(db.tx().<Optional<byte[]>>read(c -> inbox.receiptOf(c, received))).get()
                .isEqualTo(("receipt of " + received).getBytes(StandardCharsets.UTF_8));
    }

    @OnBothDatabases
    void the_purge_is_audited_once_with_its_count_and_the_audit_chain_still_verifies(TestDatabase db) throws Exception {
        AuditLog audit = registered(db);
        Messages m = exchange(db, audit);

        retention(db, audit, SWEEP).sweep();
        PayloadRetention.Sweep again = retention(db, audit, SWEEP.plusSeconds(60)).sweep();

        assertThat(again.purged()).isZero();
        List<String> purges = db.tx().read(c -> details(c, AuditEventType.PAYLOADS_PURGED));
        assertThat(purges).singleElement().satisfies(d -> assertThat(d)
                .startsWith("payloads of 5 finished messages purged (outbound 4, inbound 1): finished before "
                        + SWEEP.minus(RETENTION) + ", retention PT720H"));
        List<AuditEntry> chain = chain(db);
        assertThat(chain).hasSize(m.out().size() + m.in().size() + 1);
        assertThat(chain.get(chain.size() - 1).event().event()).isEqualTo(AuditEventType.PAYLOADS_PURGED);
        // the audit entries still name the digests the rows keep
        for (UUID id : m.out().values()) {
            assertThat(countOf(db, "SELECT COUNT(*) FROM audit_event WHERE message_id = ? AND payload_sha256 = ?",
                    id, hex(rowDigest(db, "outbox", id)))).isEqualTo(1);
        }
    }

    @OnBothDatabases
    void a_sweep_with_nothing_due_changes_nothing_and_writes_no_audit_entry(TestDatabase db) throws Exception {
        AuditLog audit = registered(db);
        Messages m = exchange(db, audit);
        Map<String, Row> before = rows(db, m);

        PayloadRetention.Sweep sweep = retention(db, audit, OLD.plus(RETENTION)).sweep();

        assertThat(sweep.purged()).isZero();
        assertThat(rows(db, m)).isEqualTo(before);
        assertThat(db.tx().<List<String>>read(c -> details(c, AuditEventType.PAYLOADS_PURGED))).isEmpty();
    }

    @OnBothDatabases
    void the_sweep_encrypts_payloads_left_in_clear_before_it_purges(TestDatabase db) throws Exception {
        AuditLog audit = registered(db);
        Messages m = exchange(db, audit);
        UUID clearPending = m.out().get("out PENDING old");
        UUID clearDue = m.in().get("in ACKNOWLEDGED old");
        try (Connection c = db.connection()) {
            execute(c, "UPDATE outbox SET payload = ?, payload_key_id = NULL WHERE message_id = ?",
                    payload("out PENDING old"), clearPending);
            execute(c, "UPDATE inbox SET payload = ?, payload_key_id = NULL WHERE message_id = ?",
                    payload("in ACKNOWLEDGED old"), clearDue);
        }

        PayloadRetention.Sweep sweep = retention(db, audit, SWEEP).sweep();

        assertThat(sweep.encrypted()).isEqualTo(2);
        assertThat(sweep.purgedInbound()).isEqualTo(1);
        assertThat(countOf(db, "SELECT COUNT(*) FROM outbox WHERE message_id = ? AND payload_key_id = ?",
                clearPending, TestPayloads.CIPHER.currentKeyId())).isEqualTo(1);
        assertThat(db.tx().<Optional<byte[]>>read(c -> outbox.payload(c, clearPending))).get().isEqualTo(payload("out PENDING old"));
    }

    // --- set-up -------------------------------------------------------------------------------

    private static AuditLog registered(TestDatabase db) {
        AuditLog audit = new AuditLog(Country.US, db.database().dialect());
        db.tx().addParticipant(audit);
        return audit;
    }

    private PayloadRetention retention(TestDatabase db, AuditLog audit, Instant now) {
        return new PayloadRetention(db.tx(), outbox, inbox, audit, RETENTION, AuditFixtures.US_GATEWAY,
                new TestClock(now));
    }

    /**
     * The whole chain, verified as the verifier does it: from the genesis hash, every entry's hash
     * recomputed from its content and linked to the one before, the head on the last one.
     */
    private static List<AuditEntry> chain(TestDatabase db) {
        AuditStore store = new AuditStore();
        List<AuditEntry> chain = new ArrayList<>();
        AuditStore.Head head = db.tx().read(c -> {
            store.walk(c, 1, Long.MAX_VALUE, chain::add);
            return store.head(c);
        });
        String prev = AuditHash.GENESIS;
        for (int i = 0; i < chain.size(); i++) {
            AuditEntry e = chain.get(i);
            assertThat(e.seq()).isEqualTo(i + 1);
            assertThat(e.prevHash()).as("link of entry " + e.seq()).isEqualTo(prev);
            assertThat(e.recomputedHash()).as("hash of entry " + e.seq()).isEqualTo(e.hash());
            prev = e.hash();
        }
        assertThat(head).isEqualTo(new AuditStore.Head(chain.size(), prev));
        return chain;
    }

    /**
     * Five sent messages (PENDING, RECEIPTED, DELIVERED, FAILED, EXPIRED) and three received ones
     * (STORED, ACKNOWLEDGED) finished long ago, and one of each kind finished recently; each
     * stored with its audit entry carrying its digests, as the ledgers do.
     */
    private Messages exchange(TestDatabase db, AuditLog audit) {
        Map<String, UUID> out = new HashMap<>();
        Map<String, UUID> in = new HashMap<>();
        List<Object[]> sent = List.of(new Object[] {OutboxState.PENDING, OLD}, new Object[] {OutboxState.RECEIPTED, OLD},
                new Object[] {OutboxState.DELIVERED, OLD}, new Object[] {OutboxState.FAILED, OLD},
                new Object[] {OutboxState.EXPIRED, OLD}, new Object[] {OutboxState.DELIVERED, RECENT});
        for (Object[] s : sent) {
            String name = "out " + s[0] + " " + (s[1] == OLD ? "old" : "recent");
            EnvelopeHeader h = header(Priority.NORMAL, T0.minusSeconds(60));
            byte[] payload = payload(name);
            db.tx().write(c -> {
                outbox.insert(c, new OutboxStore.NewMessage(h, "CBP", null, Digests.sha256(h.messageId().toString()
                        .getBytes(StandardCharsets.UTF_8)), payload, Digests.sha256(payload),
                        ("envelope of " + h.messageId()).getBytes(StandardCharsets.UTF_8),
                        Digests.sha256(("envelope of " + h.messageId()).getBytes(StandardCharsets.UTF_8))), T0);
                audit.append(c, AuditEvent.of(AuditEventType.SUBMITTED, h, T0.minusSeconds(60), "CN=CBP agency system")
                        .withDigests(Digests.sha256(payload), null));
                execute(c, "UPDATE outbox SET state = ?, updated_at = ?, receipt = ?, delivery_notice = ? WHERE message_id = ?",
                        s[0], s[1], ("receipt of " + h.messageId()).getBytes(StandardCharsets.UTF_8),
                        ("notice of " + h.messageId()).getBytes(StandardCharsets.UTF_8), h.messageId());
                return null;
            });
            out.put(name, h.messageId());
        }
        List<Object[]> received = List.of(new Object[] {InboxStore.STORED, OLD},
                new Object[] {InboxStore.ACKNOWLEDGED, OLD}, new Object[] {InboxStore.ACKNOWLEDGED, RECENT});
        for (Object[] r : received) {
            String name = "in " + r[0] + " " + (r[1] == OLD ? "old" : "recent");
            EnvelopeHeader h = header(UUID.randomUUID(), org.puente.engine.testing.StoreFixtures.ANAM,
                    org.puente.engine.testing.StoreFixtures.CBP, Priority.NORMAL, T0.minusSeconds(60));
            byte[] payload = payload(name);
            db.tx().write(c -> {
                InboxRows.insert(inbox, c, new InboxStore.NewMessage(h, payload, Digests.sha256(payload),
                        Digests.sha256(("envelope of " + h.messageId()).getBytes(StandardCharsets.UTF_8)),
                        ("receipt of " + h.messageId()).getBytes(StandardCharsets.UTF_8)), T0.minusSeconds(30));
                audit.append(c, AuditEvent.of(AuditEventType.STORED, h, T0.minusSeconds(30), AuditFixtures.US_GATEWAY)
                        .withDigests(Digests.sha256(payload), null));
                if (r[0].equals(InboxStore.ACKNOWLEDGED)) {
                    execute(c, "UPDATE inbox SET state = ?, acknowledged_at = ?, delivered_at = ? WHERE message_id = ?",
                            r[0], r[1], r[1], h.messageId());
                }
                return null;
            });
            in.put(name, h.messageId());
        }
        return new Messages(out, in);
    }

    private static byte[] payload(String name) {
        return ("{\"cargo\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    // --- what the rows hold -------------------------------------------------------------------

    /**
     * A row's payload columns as stored, and the columns a purge must keep (as hex/text, so that
     * records compare by value).
     */
    private record Row(String payload, String envelope, Instant purgedAt, List<String> keptColumns) {
    }

    private static Map<String, Row> rows(TestDatabase db, Messages m) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (Connection c = db.connection()) {
            for (Map.Entry<String, UUID> e : m.out().entrySet()) {
                rows.put(e.getKey(), row(c, "SELECT payload, envelope, payload_purged_at, payload_sha256, envelope_sha256,"
                        + " receipt, delivery_notice, state, updated_at, header_json FROM outbox WHERE message_id = ?", e.getValue()));
            }
            for (Map.Entry<String, UUID> e : m.in().entrySet()) {
                rows.put(e.getKey(), row(c, "SELECT payload, NULL AS envelope, payload_purged_at, payload_sha256,"
                        + " envelope_sha256, receipt, state, acknowledged_at, header_json FROM inbox WHERE message_id = ?",
                        e.getValue()));
            }
        }
        return rows;
    }

    private static Row row(Connection c, String sql, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                List<String> kept = new ArrayList<>();
                for (int i = 4; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    kept.add(v instanceof byte[] b ? hex(b) : String.valueOf(v));
                }
                byte[] envelope = rs.getBytes(2);
                return new Row(hex(rs.getBytes(1)), envelope == null ? null : hex(envelope),
                        Jdbc.instant(rs, "payload_purged_at"), kept);
            }
        }
    }

    private static byte[] rowDigest(TestDatabase db, String table, UUID id) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT payload_sha256 FROM " + table + " WHERE message_id = ?")) {
            Jdbc.bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static List<String> details(Connection c, AuditEventType type) throws SQLException {
        List<String> details = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT detail FROM audit_event WHERE event = ? ORDER BY seq")) {
            Jdbc.bind(ps, type);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    details.add(rs.getString(1));
                }
            }
        }
        return details;
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    private static long countOf(TestDatabase db, String sql, Object... params) {
        long n = db.tx().read(c -> count(c, sql, params));
        return n;
    }
}
