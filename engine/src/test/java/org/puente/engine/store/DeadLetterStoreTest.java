package org.puente.engine.store;

import org.puente.audit.store.Dialect;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;

/** The expiry sweep's SQL never takes a message a dispatcher holds; re-drive renews exactly one dead letter. */
class DeadLetterStoreTest {
    @TempDir
    Path dir;
    Database db;
    Transactions tx;
    final OutboxStore outbox = new OutboxStore(Dialect.H2);
    final DeadLetterStore deadLetters = new DeadLetterStore();
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void open() {
        db = Database.embedded(dir, 4);
        tx = new Transactions(db, 16);
    }

    @AfterEach
    void close() {
        tx.close();
        db.close();
    }

    private EnvelopeHeader header(UUID id, Instant createdAt, Duration ttl) {
        return new EnvelopeHeader(id, id.toString(), "cargo.manifest", "1.0", new AgencyRef(Country.US, "CBP"),
                new AgencyRef(Country.MX, "ANAM"), "CMAA-2000", "advance-cargo-risk-assessment",
                Sensitivity.COMMERCIAL_CONFIDENTIAL, "en", createdAt, ttl, Priority.NORMAL);
    }

    private UUID insertExpired() {
        UUID id = UUID.randomUUID();
        EnvelopeHeader h = header(id, now.minusSeconds(60), Duration.ofSeconds(30));
        tx.write(c -> {
            outbox.insert(c, new OutboxStore.NewMessage(h, "CBP", null, new byte[32], "{}".getBytes(), new byte[32], null,
                    null, null, null),
                    now.minusSeconds(60));
            return null;
        });
        return id;
    }

    private String state(UUID id) {
        return tx.read(c -> outbox.find(c, id).orElseThrow().state().name());
    }

    @Test
    void a_message_a_dispatcher_holds_is_not_expired_until_its_lease_lapses() {
        UUID id = insertExpired();
        Instant leaseUntil = now.plusSeconds(60);
        List<OutboxEntry> claimed = tx.write(c -> outbox.claimDue(c, now, 10, "dispatcher-a", leaseUntil));
        assertThat(claimed).hasSize(1);

        List<UUID> due = tx.read(c -> deadLetters.dueToExpire(c, now, 10));
        assertThat(due).isEmpty();
        assertThat((int) tx.write(c -> deadLetters.expire(c, id, "message_expired", "test", now))).isZero();
        assertThat(state(id)).isEqualTo("PENDING");

        Instant afterLease = leaseUntil.plusSeconds(1);
        List<UUID> dueLater = tx.read(c -> deadLetters.dueToExpire(c, afterLease, 10));
        assertThat(dueLater).containsExactly(id);
        assertThat((int) tx.write(c -> deadLetters.expire(c, id, "message_expired", "test", afterLease))).isEqualTo(1);
        assertThat(state(id)).isEqualTo("EXPIRED");
    }

    @Test
    void a_message_within_its_time_to_live_is_never_swept() {
        UUID id = UUID.randomUUID();
        tx.write(c -> {
            outbox.insert(c, new OutboxStore.NewMessage(header(id, now, Duration.ofHours(1)), "CBP", null, new byte[32],
                    "{}".getBytes(), new byte[32], null, null, null, null), now);
            return null;
        });
        List<UUID> due = tx.read(c -> deadLetters.dueToExpire(c, now, 10));
        assertThat(due).isEmpty();
        assertThat((int) tx.write(c -> deadLetters.expire(c, id, "message_expired", "test", now))).isZero();
        assertThat(state(id)).isEqualTo("PENDING");
    }

    @Test
    void a_redrive_renews_the_header_drops_the_envelope_and_works_once() {
        UUID id = insertExpired();
        tx.write(c -> {
            outbox.recordSealed(c, id, new byte[] {1, 2, 3}, new byte[32], now);
            return deadLetters.expire(c, id, "message_expired", "test", now);
        });
        assertThat((long) tx.read(deadLetters::count)).isEqualTo(1);
        List<DeadLetterStore.DeadLetter> listed = tx.read(c -> deadLetters.list(c, 10));
        assertThat(listed).singleElement()
                .satisfies(d -> assertThat(d.lastErrorCode()).isEqualTo("message_expired"));

        EnvelopeHeader renewed = header(id, now, Duration.ofSeconds(30));
        assertThat((int) tx.write(c -> deadLetters.renew(c, renewed, now))).isEqualTo(1);
        OutboxEntry e = tx.read(c -> outbox.find(c, id).orElseThrow());
        assertThat(e.state()).isEqualTo(OutboxState.PENDING);
        assertThat(e.envelope()).isNull();
        assertThat(e.attempts()).isZero();
        assertThat(e.expiresAt()).isEqualTo(renewed.expiresAt());
        assertThat(e.header().createdAt()).isEqualTo(now);
        assertThat((long) tx.read(deadLetters::count)).isZero();
        assertThat((int) tx.write(c -> deadLetters.renew(c, renewed, now))).as("only a dead letter is renewed").isZero();
    }
}
