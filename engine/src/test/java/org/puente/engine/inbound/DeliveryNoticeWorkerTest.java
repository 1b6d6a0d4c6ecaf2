package org.puente.engine.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.testing.StoreFixtures.ANAM;
import static org.puente.engine.testing.StoreFixtures.CBP;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.count;
import static org.puente.engine.testing.StoreFixtures.header;
import static org.puente.engine.testing.StoreFixtures.inbound;
import static org.puente.engine.testing.StoreFixtures.outbound;

import com.sun.net.httpserver.HttpsServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.puente.audit.AuditEventType;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.Jdbc;
import org.puente.engine.api.Json;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.outbound.NoticeReceiver;
import org.puente.engine.outbound.OutboundLedger;
import org.puente.engine.outbound.OutboxEntry;
import org.puente.engine.outbound.OutboxState;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.outbound.StatusStore;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.RecordingObserver;
import org.puente.engine.testing.SamplePeers;
import org.puente.engine.testing.TestClock;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.testing.TestPayloads;
import org.puente.engine.work.Backoff;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkLine;
import org.puente.engine.work.WorkQueue;
import org.puente.engine.work.WorkRunner;
import org.puente.engine.work.WorkSettings;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.error.ErrorCode;

/**
 * The Mexican gateway's delivery notices for a message the US gateway has not yet recorded as
 * receipted: the US side answers {@code later}, and the notice job is retried, not done. No fake
 * peer client exists (PeerClient is a final HTTPS client), so the smallest real peer is used: the
 * real PeerClient over mutual TLS with the sample PKI, to a JDK HTTPS server whose only handler
 * hands the batch to the US gateway's real NoticeReceiver over its own database (the routes
 * module's PeerHandler does the same, with validation this test does not need).
 */
class DeliveryNoticeWorkerTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final TestClock clock = new TestClock(T0);
    private final RecordingObserver mxObserver = new RecordingObserver();
    private final AtomicInteger requests = new AtomicInteger();
    private final ExecutorService clientThreads = Executors.newCachedThreadPool();
    private HttpsServer usPeerApi;

    @AfterEach
    void stop() {
        if (usPeerApi != null) {
            usPeerApi.stop(0);
        }
        clientThreads.shutdownNow();
    }

    /** The US gateway's notice endpoint on 127.0.0.1, mutual TLS, trusting the Mexican root only. */
    private URI usPeerApi(NoticeReceiver receiver) {
        usPeerApi = SamplePeers.peerApi(Country.US, PeerProtocol.NOTICES_PATH, exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                PeerProtocol.NoticeBatch batch = CanonicalJson.read(exchange.getRequestBody().readAllBytes(),
                        PeerProtocol.NoticeBatch.class);
                byte[] answer = Json.write(receiver.receive(batch));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        return SamplePeers.url(usPeerApi);
    }

    /** The US gateway (the message's sender) over its own database. */
    private record Us(OutboxStore outbox, OutboundLedger ledger, NoticeReceiver receiver) {
        static Us over(TestDatabase db, Instant now) {
            AuditLog audit = new AuditLog(Country.US, db.database().dialect());
            db.tx().addParticipant(audit);
            OutboxStore outbox = TestPayloads.outbox();
            OutboundLedger ledger = new OutboundLedger(outbox, new StatusStore(), audit, SamplePeers.US_GATEWAY,
                    SamplePeers.MX_GATEWAY);
            TestClock clock = new TestClock(now);
            return new Us(outbox, ledger, new NoticeReceiver(db.tx(), outbox, ledger,
                    new org.puente.engine.work.WorkQueue(db.database().dialect()), SamplePeers.envelopes(Country.US, clock),
                    clock, ExchangeObserver.NONE));
        }
    }

    /** The Mexican gateway (the message's receiver): its inbox ledger and a runner with the notice worker. */
    private record Mx(InboxStore inbox, InboundLedger ledger, WorkRunner runner) {
    }

    private Mx mx(TestDatabase db, URI usPeer) {
        AuditLog audit = new AuditLog(Country.MX, db.database().dialect());
        db.tx().addParticipant(audit);
        InboxStore inbox = TestPayloads.inbox();
        WorkQueue queue = new WorkQueue(db.database().dialect());
        InboundLedger ledger = new InboundLedger(inbox, queue, audit, InboundLedger.handOvers(List.of(), List.of()),
                SamplePeers.MX_GATEWAY, SamplePeers.US_GATEWAY);
        PeerClient peer = new PeerClient(SamplePeers.peerTls(Country.MX), usPeer, SamplePeers.US_GATEWAY,
                Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ZERO, clientThreads);
        DeliveryNoticeWorker worker = new DeliveryNoticeWorker(db.tx(), inbox, ledger, SamplePeers.envelopes(Country.MX, clock),
                peer, clock, mxObserver);
        WorkRunner runner = new WorkRunner(db.tx(), queue, "mx-1", clock).register(worker,
                new WorkSettings(10, 1, 1_000_000, LEASE, new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60))));
        return new Mx(inbox, ledger, runner);
    }

    /** The message on both sides: accepted (PENDING) at the US gateway; stored and acknowledged by ANAM at the Mexican one. */
    private static void exchanged(TestDatabase usDb, Us us, TestDatabase mxDb, Mx mx, EnvelopeHeader h, Instant ackAt) {
        usDb.tx().write(c -> {
            us.ledger().accepted(c, outbound(h, null), "CN=CBP agency system", T0);
            return null;
        });
        mxDb.tx().write(c -> mx.ledger().stored(c, inbound(h, "receipt of " + h.messageId()), T0.plusSeconds(1)));
        InboxEntry e = mxDb.tx().read(c -> mx.inbox().find(c, h.messageId())).orElseThrow();
        assertThat((boolean) mxDb.tx().write(c -> mx.ledger().acknowledged(c, e, InboundLedger.PULL,
                "CN=ANAM agency system", ackAt))).isTrue();
    }

    /** The notice job as the table holds it. */
    private record NoticeJob(int attempts, Instant runAt, String leaseOwner, String lastErrorCode, String lastErrorDetail) {
    }

    private static NoticeJob noticeJob(TestDatabase db, UUID id) {
        return db.tx().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT attempts, run_at, lease_owner, last_error_code,"
                    + " last_error_detail FROM work WHERE kind = ? AND ref = ?")) {
                Jdbc.bind(ps, WorkKind.DELIVERY_NOTICE, id.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new NoticeJob(rs.getInt(1), Jdbc.instant(rs, 2), rs.getString(3), rs.getString(4),
                            rs.getString(5)) : null;
                }
            }
        });
    }

    private static List<AuditEventType> story(TestDatabase db, UUID id) {
        return db.tx().read(c -> new AuditStore().story(c, id)).stream().map(e -> e.event().event()).toList();
    }

    @OnBothDatabases
    void a_notice_the_peer_answers_later_is_retried_and_done_once_the_peer_has_recorded_the_receipt(TestDatabase mxDb)
            throws Exception {
        try (TestDatabase usDb = new TestDatabase(mxDb.kind())) {
            Us us = Us.over(usDb, T0.plusSeconds(20));
            Mx mx = mx(mxDb, usPeerApi(us.receiver()));
            EnvelopeHeader h = header(UUID.randomUUID(), CBP, ANAM, Priority.NORMAL, T0);
            UUID id = h.messageId();
            Instant ackAt = T0.plusSeconds(5);
            exchanged(usDb, us, mxDb, mx, h, ackAt);
            clock.set(ackAt);

            List<WorkRunner.Batch> first = mx.runner().claim(WorkLine.shared(WorkKind.DELIVERY_NOTICE));
            int endedFirst = mx.runner().run(first.get(0));
            NoticeJob retried = noticeJob(mxDb, id);
            OutboxEntry stillPending = usDb.tx().read(c -> us.outbox().find(c, id)).orElseThrow();

            assertThat(first).singleElement().satisfies(b -> assertThat(b.jobs()).hasSize(1));
            assertThat(endedFirst).as("the notice job has not ended").isZero();
            assertThat(retried).isNotNull();
            assertThat(retried.attempts()).isEqualTo(1);
            assertThat(retried.lastErrorCode()).isEqualTo(ErrorCode.NOT_READY.code());
            assertThat(retried.lastErrorDetail()).isEqualTo("the peer has not recorded the message yet");
            assertThat(retried.leaseOwner()).isNull();
            assertThat(retried.runAt()).isBetween(ackAt.plusSeconds(5), ackAt.plusSeconds(10));
            assertThat(story(mxDb, id)).as("no notice is sent until the peer has recorded it").doesNotContain(
                    AuditEventType.NOTICE_SENT);
            assertThat(mxObserver.calls()).doesNotContain("noticeSent " + id);
            assertThat(stillPending.state()).isEqualTo(OutboxState.PENDING);
            assertThat(story(usDb, id)).doesNotContain(AuditEventType.NOTICE_RECEIVED);

            // the envelope's retry reaches the US gateway and its receipt is recorded
            assertThat((boolean) usDb.tx().write(c -> us.ledger().receipted(c, stillPending,
                    "receipt".getBytes(StandardCharsets.UTF_8), T0.plusSeconds(20), T0.plusSeconds(21),
                    T0.plusSeconds(22)))).isTrue();
            clock.set(retried.runAt());
            List<WorkRunner.Batch> second = mx.runner().claim(WorkLine.shared(WorkKind.DELIVERY_NOTICE));
            int endedSecond = mx.runner().run(second.get(0));

            assertThat(endedSecond).isEqualTo(1);
            assertThat(noticeJob(mxDb, id)).as("done: the job left the queue").isNull();
            assertThat(story(mxDb, id)).filteredOn(t -> t == AuditEventType.NOTICE_SENT).hasSize(1);
            assertThat(mxObserver.calls()).containsOnlyOnce("noticeSent " + id);
            assertThat(usDb.tx().read(c -> us.outbox().find(c, id)).orElseThrow().state()).isEqualTo(OutboxState.DELIVERED);
            assertThat(story(usDb, id)).filteredOn(t -> t == AuditEventType.NOTICE_RECEIVED).hasSize(1);
            byte[] kept = usDb.tx().read(c -> us.outbox().proofs(c, id)).orElseThrow().deliveryNotice();
            assertThat(SamplePeers.envelopes(Country.US, clock).verifyNotice(kept))
                    .as("the kept proof is the Mexican gateway's signed notice")
                    .isEqualTo(DeliveryNotice.delivered(id, "ANAM", ackAt));
            assertThat(requests).as("one request per attempt").hasValue(2);
            long workLeft = mxDb.tx().read(c -> count(c, "SELECT COUNT(*) FROM work"));
            assertThat(workLeft).isZero();
        }
    }

    @Test
    void the_answer_to_a_notice_batch_carries_later_as_message_ids_and_an_answer_without_it_means_none() {
        UUID id = UUID.fromString("7a4e6a52-3f4e-4a7c-9a53-3f4b1c2d9e10");

        String written = new String(Json.write(new PeerProtocol.NoticeAnswer(1, List.of(id))), StandardCharsets.UTF_8);
        PeerProtocol.NoticeAnswer withoutLater = CanonicalJson.read("{\"accepted\":2}".getBytes(StandardCharsets.UTF_8),
                PeerProtocol.NoticeAnswer.class);

        assertThat(written).isEqualTo("{\"accepted\":1,\"later\":[\"7a4e6a52-3f4e-4a7c-9a53-3f4b1c2d9e10\"]}");
        assertThat(withoutLater.accepted()).isEqualTo(2);
        assertThat(withoutLater.laterOrNone()).isEmpty();
    }
}
