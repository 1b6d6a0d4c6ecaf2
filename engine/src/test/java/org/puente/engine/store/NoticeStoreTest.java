package org.puente.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.store.StoreFixtures.T0;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

class NoticeStoreTest {
    private final NoticeStore notices = new NoticeStore();

    @OnBothDatabases
    void a_notice_is_queued_once_per_message_and_kind(TestDatabase db) {
        UUID id = UUID.randomUUID();
        enqueue(db, id, "DELIVERED", T0);
        enqueue(db, id, "DELIVERED", T0.plusSeconds(5));
        enqueue(db, id, "READ", T0);

        List<NoticeStore.Notice> due = due(db, T0.plusSeconds(10), 10);

        assertThat(due).extracting(NoticeStore.Notice::kind).containsExactly("DELIVERED", "READ");
        assertThat(due.get(0).at()).isEqualTo(T0);
        assertThat(pending(db)).isEqualTo(2);
    }

    @OnBothDatabases
    void due_notices_come_in_queue_order_up_to_the_limit_and_not_before_their_time(TestDatabase db) {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        UUID later = UUID.randomUUID();
        enqueue(db, first, "DELIVERED", T0.plusSeconds(3));
        enqueue(db, second, "DELIVERED", T0.plusSeconds(1));
        enqueue(db, later, "DELIVERED", T0.plusSeconds(60));
        enqueue(db, third, "DELIVERED", T0.plusSeconds(2));

        List<NoticeStore.Notice> two = due(db, T0.plusSeconds(10), 2);
        List<NoticeStore.Notice> all = due(db, T0.plusSeconds(10), 10);

        assertThat(two).extracting(NoticeStore.Notice::messageId).containsExactly(first, second);
        assertThat(all).extracting(NoticeStore.Notice::messageId).containsExactly(first, second, third);
        NoticeStore.Notice n = all.get(0);
        assertThat(n.agency()).isEqualTo("ANAM");
        assertThat(n.attempts()).isZero();
        assertThat(n.id()).isLessThan(all.get(1).id());
    }

    @OnBothDatabases
    void a_sent_notice_leaves_the_queue_and_a_rescheduled_one_waits_for_its_next_time(TestDatabase db) {
        UUID sent = UUID.randomUUID();
        UUID retried = UUID.randomUUID();
        enqueue(db, sent, "DELIVERED", T0);
        enqueue(db, retried, "DELIVERED", T0);
        List<NoticeStore.Notice> due = due(db, T0, 10);
        Instant next = T0.plusSeconds(30);

        db.tx().write(c -> {
            notices.markSent(c, due.get(0).id());
            notices.reschedule(c, due.get(1).id(), next);
            return null;
        });

        assertThat(due(db, next.minusMillis(1), 10)).isEmpty();
        List<NoticeStore.Notice> retry = due(db, next, 10);
        assertThat(retry).extracting(NoticeStore.Notice::messageId).containsExactly(retried);
        assertThat(retry.get(0).attempts()).isEqualTo(1);
        assertThat(pending(db)).isEqualTo(1);
    }

    private void enqueue(TestDatabase db, UUID id, String kind, Instant at) {
        db.tx().write(c -> {
            notices.enqueue(c, id, kind, "ANAM", at);
            return null;
        });
    }

    private List<NoticeStore.Notice> due(TestDatabase db, Instant now, int limit) {
        return db.tx().read(c -> notices.due(c, now, limit));
    }

    private long pending(TestDatabase db) {
        return db.tx().read(notices::pending);
    }
}
