package org.puente.engine.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.engine.testing.StoreFixtures.T0;

import com.sun.net.httpserver.HttpsServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.puente.engine.admission.AdmissionControl;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.SamplePeers;
import org.puente.engine.testing.TestClock;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.testing.TestPayloads;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The sending side's peer batches hold their share of the processing budget, as the submissions
 * that made them did: several dispatch lines sending one large envelope each could otherwise take
 * more heap than the budget lets in. The peer is the real PeerClient over mutual TLS to a JDK HTTPS
 * server that notes the budget in use while it reads each batch, and answers 503 (no receipt: the
 * batch is retried, which is all these tests need).
 */
class PeerSendBudgetTest {
    private static final long BUDGET = 1 << 20;

    private final TestClock clock = new TestClock(T0);
    private final AdmissionControl admission = new AdmissionControl(BUDGET, 100, BUDGET);
    private final List<Long> heldWhileSent = new CopyOnWriteArrayList<>();
    private final ExecutorService clientThreads = Executors.newCachedThreadPool();
    private HttpsServer mxPeerApi;

    @AfterEach
    void stop() {
        if (mxPeerApi != null) {
            mxPeerApi.stop(0);
        }
        clientThreads.shutdownNow();
    }

    private record Sender(PeerEnvelopeWorker worker, List<Job> jobs, long envelopeBytes) {
    }

    private Sender oneMessageClaimed(TestDatabase db) {
        return oneMessageClaimed(db, admission);
    }

    private Sender oneMessageClaimed(TestDatabase db, AdmissionControl admission) {
        mxPeerApi = SamplePeers.peerApi(Country.MX, PeerProtocol.ENVELOPES_PATH, exchange -> {
            try (exchange) {
                heldWhileSent.add(admission.bytesInProcess());
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(503, -1);
            }
        });
        OutboxStore outbox = TestPayloads.outbox();
        OutboundLedger ledger = ClaimedMessage.ledger(db, outbox);
        PeerClient peer = new PeerClient(SamplePeers.peerTls(Country.US), SamplePeers.url(mxPeerApi), SamplePeers.MX_GATEWAY,
                Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ZERO, clientThreads);
        PeerEnvelopeWorker worker = new PeerEnvelopeWorker(db.tx(), outbox, ledger,
                new PeerEnvelopeWorker.Road(SamplePeers.envelopes(Country.US, clock), peer, admission), clock,
                ExchangeObserver.NONE);
        ClaimedMessage claimed = ClaimedMessage.accept(db, ledger);
        return new Sender(worker, claimed.jobs(), claimed.message().envelope().length);
    }

    @OnBothDatabases
    void a_batch_holds_a_quarter_of_its_envelopes_bytes_while_it_is_sent_and_gives_them_back(TestDatabase db) {
        Sender s = oneMessageClaimed(db);

        List<Outcome> outcomes = s.worker().perform(s.jobs());

        assertThat(s.envelopeBytes()).as("the fixture's envelope").isEqualTo(48);
        assertThat(heldWhileSent).as("the budget in use while the peer read the batch")
                .containsExactly((s.envelopeBytes() + 3) / 4);
        assertThat(admission.bytesInProcess()).as("given back once the batch is judged").isZero();
        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Retry.class);
    }

    @OnBothDatabases
    void while_other_documents_hold_the_budget_past_its_patience_nothing_is_sent_and_the_batch_is_retried_overloaded(
            TestDatabase db) {
        Sender s = oneMessageClaimed(db);
        AdmissionControl.Ticket submissions = admission.hold(BUDGET);

        List<Outcome> outcomes = s.worker().perform(s.jobs());

        assertThat(heldWhileSent).as("no request reached the peer").isEmpty();
        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.Retry.class, r -> {
            assertThat(r.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(r.detail()).isEqualTo("not sent: the processing budget stayed in use by other documents for 2 s");
        });
        assertThat(admission.bytesInProcess()).isEqualTo(BUDGET);

        submissions.close();
        s.worker().perform(s.jobs());

        assertThat(heldWhileSent).as("sent once the budget has room").hasSize(1);
        assertThat(admission.bytesInProcess()).isZero();
    }

    @OnBothDatabases
    void a_batch_waits_for_room_given_back_meanwhile_and_is_sent_without_a_retry_for_it(TestDatabase db) throws Exception {
        Sender s = oneMessageClaimed(db);
        AdmissionControl.Ticket submissions = admission.hold(BUDGET);
        Thread giveBack = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            submissions.close();
        });
        giveBack.start();

        List<Outcome> outcomes = s.worker().perform(s.jobs());
        giveBack.join();

        assertThat(heldWhileSent).as("sent once the submission gave its share back").hasSize(1);
        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.code()).as("the peer's 503, not the budget").isNotEqualTo(ErrorCode.OVERLOADED));
    }

    @OnBothDatabases
    void a_share_above_the_whole_budget_is_sent_when_the_batch_is_alone_in_it(TestDatabase db) {
        AdmissionControl small = new AdmissionControl(BUDGET, 100, 5);
        Sender s = oneMessageClaimed(db, small);

        s.worker().perform(s.jobs());

        assertThat((s.envelopeBytes() + 3) / 4).as("a quarter of this envelope is more than the budget").isGreaterThan(5);
        assertThat(heldWhileSent).as("sent, holding the whole budget").containsExactly(5L);
        assertThat(small.bytesInProcess()).isZero();
    }

    @Test
    void at_most_four_envelopes_as_large_as_the_whole_budget_are_sent_at_once() {
        List<AdmissionControl.Ticket> sending = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sending.add(admission.hold(PeerEnvelopeWorker.budgetShare(BUDGET)));
        }

        assertThatThrownBy(() -> admission.hold(PeerEnvelopeWorker.budgetShare(BUDGET)))
                .isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.OVERLOADED));
        assertThatThrownBy(() -> admission.hold(1)).as("nor a submission while they are sent")
                .isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.OVERLOADED));
        sending.forEach(AdmissionControl.Ticket::close);
        assertThat(admission.bytesInProcess()).isZero();
    }
}
