package org.puente.engine.store;

import static org.puente.engine.store.StoreFixtures.ANAM;
import static org.puente.engine.store.StoreFixtures.CBP;
import static org.puente.engine.store.StoreFixtures.count;
import static org.puente.engine.store.StoreFixtures.header;
import static org.puente.engine.store.StoreFixtures.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.engine.testing.TestDatabase;

/** The outbox calls of the outbox tests, each as the gateway makes it: one unit of a write group. */
final class OutboxSteps {
    static final Duration LEASE = Duration.ofSeconds(30);

    private OutboxSteps() {
    }

    static UUID insert(TestDatabase db, OutboxStore outbox, Priority priority, Instant at) {
        EnvelopeHeader h = header(UUID.randomUUID(), CBP, ANAM, priority, at);
        insert(db, outbox, outbound(h, null), at);
        return h.messageId();
    }

    static void insert(TestDatabase db, OutboxStore outbox, OutboxStore.NewMessage m, Instant now) {
        db.tx().write(c -> {
            outbox.insert(c, m, now);
            return null;
        });
    }

    static List<UUID> claim(TestDatabase db, OutboxStore outbox, Instant now, int limit, String owner) {
        List<OutboxEntry> claimed = db.tx().write(c -> outbox.claimDue(c, now, limit, owner, now.plus(LEASE)));
        return claimed.stream().map(OutboxEntry::messageId).toList();
    }

    static OutboxEntry find(TestDatabase db, OutboxStore outbox, UUID id) {
        return db.tx().read(c -> outbox.find(c, id)).orElseThrow();
    }

    static long rows(TestDatabase db, String sql, Object... params) {
        return db.tx().read(c -> count(c, sql, params));
    }
}
