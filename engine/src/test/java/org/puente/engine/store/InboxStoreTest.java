package org.puente.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.store.StoreFixtures.ANAM;
import static org.puente.engine.store.StoreFixtures.CBP;
import static org.puente.engine.store.StoreFixtures.SAT;
import static org.puente.engine.store.StoreFixtures.T0;
import static org.puente.engine.store.StoreFixtures.count;
import static org.puente.engine.store.StoreFixtures.header;
import static org.puente.engine.store.StoreFixtures.inbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.model.AgencyRef;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

class InboxStoreTest {
    private final InboxStore inbox = new InboxStore();

    @OnBothDatabases
    void a_stored_message_is_found_with_its_payload_digests_and_arrival_time(TestDatabase db) {
        EnvelopeHeader h = header(Priority.NORMAL, T0.minusSeconds(3));
        InboxStore.NewMessage m = inbound(h, "receipt");

        boolean fresh = db.tx().write(c -> inbox.insert(c, m, T0, null));

        assertThat(fresh).isTrue();
        InboxEntry e = find(db, h.messageId());
        assertThat(e.header()).isEqualTo(h);
        assertThat(e.payload()).isEqualTo(m.payload());
        assertThat(e.payloadSha256()).isEqualTo(m.payloadSha256());
        assertThat(e.envelopeSha256()).isEqualTo(m.envelopeSha256());
        assertThat(e.state()).isEqualTo(InboxStore.STORED);
        assertThat(e.receivedAt()).isEqualTo(T0);
        assertThat(e.deliveredAt()).isNull();
        assertThat(e.acknowledgedAt()).isNull();
        assertThat(e.mailboxSeq()).isPositive();
        assertThat(e.pushAttempts()).isZero();
    }

    @OnBothDatabases
    void a_second_copy_of_a_message_is_refused_by_the_primary_key_and_the_first_stays_as_it_was(TestDatabase db) {
        EnvelopeHeader h = header(Priority.NORMAL, T0);
        db.tx().write(c -> inbox.insert(c, inbound(h, "first receipt"), T0, null));
        InboxStore.NewMessage copy = new InboxStore.NewMessage(h, "{\"other\":1}".getBytes(StandardCharsets.UTF_8),
                StoreFixtures.sha("other payload"), StoreFixtures.sha("other envelope"),
                "second receipt".getBytes(StandardCharsets.UTF_8));

        // as the peer receiver does: the insert and what follows it in one unit of a write group
        Optional<byte[]> answered = db.tx().write(c -> inbox.insert(c, copy, T0.plusSeconds(9), null)
                ? Optional.empty() : inbox.receiptOf(c, h.messageId()));

        assertThat(answered).map(b -> new String(b, StandardCharsets.UTF_8)).contains("first receipt");
        InboxEntry e = find(db, h.messageId());
        assertThat(e.payload()).isEqualTo(inbound(h, "x").payload());
        assertThat(e.receivedAt()).isEqualTo(T0);
        assertThat(rows(db, "SELECT COUNT(*) FROM inbox")).isEqualTo(1);
    }

    @OnBothDatabases
    void the_receipt_of_a_message_is_the_one_given_when_it_first_arrived(TestDatabase db) {
        EnvelopeHeader h = header(Priority.NORMAL, T0);
        db.tx().write(c -> inbox.insert(c, inbound(h, "original receipt"), T0, null));
        UUID unknown = UUID.randomUUID();

        Optional<byte[]> receipt = db.tx().read(c -> inbox.receiptOf(c, h.messageId()));
        Optional<byte[]> none = db.tx().read(c -> inbox.receiptOf(c, unknown));
        boolean exists = db.tx().read(c -> inbox.exists(c, h.messageId()));
        boolean absent = db.tx().read(c -> inbox.exists(c, unknown));

        assertThat(receipt).map(b -> new String(b, StandardCharsets.UTF_8)).contains("original receipt");
        assertThat(none).isEmpty();
        assertThat(exists).isTrue();
        assertThat(absent).isFalse();
    }

    @OnBothDatabases
    void a_mailbox_pages_through_its_own_unacknowledged_messages_in_arrival_order(TestDatabase db) {
        List<UUID> anam = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            anam.add(store(db, ANAM, T0.plusSeconds(i), null));
            store(db, SAT, T0.plusSeconds(i), null);
        }
        db.tx().write(c -> inbox.acknowledge(c, "ANAM", anam.get(1), T0.plusSeconds(10)));

        List<InboxEntry> page1 = mailbox(db, "ANAM", 0, 2);
        List<InboxEntry> page2 = mailbox(db, "ANAM", page1.get(1).mailboxSeq(), 2);
        List<InboxEntry> page3 = mailbox(db, "ANAM", page2.get(1).mailboxSeq(), 2);

        assertThat(ids(page1)).containsExactly(anam.get(0), anam.get(2));
        assertThat(ids(page2)).containsExactly(anam.get(3), anam.get(4));
        assertThat(page3).isEmpty();
        assertThat(page1).allSatisfy(e -> assertThat(e.header().receiver()).isEqualTo(ANAM));
        assertThat(page1.get(0).mailboxSeq()).isLessThan(page1.get(1).mailboxSeq());
        assertThat(mailbox(db, "SAT", 0, 50)).hasSize(5);
    }

    @OnBothDatabases
    void acknowledging_is_idempotent_and_only_the_receiving_agency_can_do_it(TestDatabase db) {
        UUID id = store(db, ANAM, T0, null);
        Instant ackAt = T0.plusSeconds(30);

        boolean bySat = db.tx().write(c -> inbox.acknowledge(c, "SAT", id, ackAt));
        boolean first = db.tx().write(c -> inbox.acknowledge(c, "ANAM", id, ackAt));
        boolean again = db.tx().write(c -> inbox.acknowledge(c, "ANAM", id, ackAt.plusSeconds(5)));
        boolean unknown = db.tx().write(c -> inbox.acknowledge(c, "ANAM", UUID.randomUUID(), ackAt));

        assertThat(bySat).isFalse();
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(unknown).isFalse();
        InboxEntry e = find(db, id);
        assertThat(e.state()).isEqualTo(InboxStore.ACKNOWLEDGED);
        assertThat(e.acknowledgedAt()).isEqualTo(ackAt);
        assertThat(e.deliveredAt()).as("an acknowledged message was handed over").isEqualTo(ackAt);
        assertThat(mailbox(db, "ANAM", 0, 50)).isEmpty();
    }

    @OnBothDatabases
    void the_first_hand_over_is_recorded_once_and_kept_by_the_acknowledgement(TestDatabase db) {
        UUID id = store(db, ANAM, T0, null);
        Instant pulled = T0.plusSeconds(5);

        boolean first = db.tx().write(c -> inbox.markDelivered(c, id, pulled));
        boolean again = db.tx().write(c -> inbox.markDelivered(c, id, pulled.plusSeconds(5)));
        db.tx().write(c -> inbox.acknowledge(c, "ANAM", id, pulled.plusSeconds(60)));

        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(find(db, id).deliveredAt()).isEqualTo(pulled);
    }

    @OnBothDatabases
    void push_delivery_takes_due_stored_messages_of_push_agencies_only_in_arrival_order(TestDatabase db) {
        UUID late = store(db, ANAM, T0, T0.plusSeconds(60));
        UUID firstDue = store(db, ANAM, T0, T0);
        UUID satDue = store(db, SAT, T0, T0);
        UUID pullOnly = store(db, ANAM, T0, null);
        UUID secondDue = store(db, ANAM, T0, T0.minusSeconds(1));
        UUID acknowledged = store(db, ANAM, T0, T0);
        db.tx().write(c -> inbox.acknowledge(c, "ANAM", acknowledged, T0));

        List<UUID> due = ids(db.tx().read(c -> inbox.duePush(c, List.of("ANAM"), T0, 10)));
        List<UUID> limited = ids(db.tx().read(c -> inbox.duePush(c, List.of("ANAM", "SAT"), T0, 2)));
        List<UUID> both = ids(db.tx().read(c -> inbox.duePush(c, List.of("ANAM", "SAT"), T0, 10)));
        List<InboxEntry> noAgencies = db.tx().read(c -> inbox.duePush(c, List.of(), T0, 10));

        assertThat(due).containsExactly(firstDue, secondDue);
        assertThat(limited).containsExactly(firstDue, satDue);
        assertThat(both).containsExactly(firstDue, satDue, secondDue);
        assertThat(noAgencies).isEmpty();
        assertThat(due).doesNotContain(late, pullOnly);
    }

    @OnBothDatabases
    void a_rescheduled_push_is_due_again_only_at_its_next_time(TestDatabase db) {
        UUID id = store(db, ANAM, T0, T0);
        Instant next = T0.plusSeconds(20);

        db.tx().write(c -> {
            inbox.reschedulePush(c, id, next);
            return null;
        });

        assertThat(ids(db.tx().read(c -> inbox.duePush(c, List.of("ANAM"), next.minusMillis(1), 10)))).isEmpty();
        assertThat(ids(db.tx().read(c -> inbox.duePush(c, List.of("ANAM"), next, 10)))).containsExactly(id);
        assertThat(find(db, id).pushAttempts()).isEqualTo(1);
    }

    @OnBothDatabases
    void the_depth_counts_unacknowledged_messages_and_names_the_oldest_arrival(TestDatabase db) {
        InboxStore.Depth empty = db.tx().read(inbox::depth);
        UUID oldest = store(db, ANAM, T0.minusSeconds(100), null);
        store(db, SAT, T0.minusSeconds(50), null);
        UUID gone = store(db, ANAM, T0.minusSeconds(500), null);
        store(db, ANAM, T0, null);
        db.tx().write(c -> inbox.acknowledge(c, "ANAM", gone, T0));

        InboxStore.Depth depth = db.tx().read(inbox::depth);

        assertThat(empty).isEqualTo(new InboxStore.Depth(0, null));
        assertThat(depth).isEqualTo(new InboxStore.Depth(3, find(db, oldest).receivedAt()));
    }

    private UUID store(TestDatabase db, AgencyRef receiver, Instant at, Instant pushAt) {
        EnvelopeHeader h = header(UUID.randomUUID(), CBP, receiver, Priority.NORMAL, at);
        db.tx().write(c -> inbox.insert(c, inbound(h, "receipt"), at, pushAt));
        return h.messageId();
    }

    private List<InboxEntry> mailbox(TestDatabase db, String agency, long after, int limit) {
        return db.tx().read(c -> inbox.mailbox(c, agency, after, limit));
    }

    private InboxEntry find(TestDatabase db, UUID id) {
        return db.tx().read(c -> inbox.find(c, id)).orElseThrow();
    }

    private static List<UUID> ids(List<InboxEntry> entries) {
        return entries.stream().map(InboxEntry::messageId).toList();
    }

    private static long rows(TestDatabase db, String sql, Object... params) {
        return db.tx().read(c -> count(c, sql, params));
    }
}
