package org.puente.engine.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.header;

import com.sun.net.httpserver.HttpsServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
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
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;

/**
 * Issue 13 ("Also"): an answer from the peer that is not signed — a 400, 413 or 415 with a JSON
 * error body, as a proxy or a broken peer could send — never ends a message. Only a signed refusal
 * is final; anything else is a failure of the road, retried until the message expires into the
 * dead letters. The peer here is the real PeerClient over mutual TLS with the sample PKI, to a JDK
 * HTTPS server (with the Mexican gateway's TLS key) that answers every batch with the status under
 * test and no receipt.
 */
class UnsignedPeerAnswerTest {
    private final TestClock clock = new TestClock(T0);
    private final AtomicInteger requests = new AtomicInteger();
    private final ExecutorService clientThreads = Executors.newCachedThreadPool();
    private HttpsServer mxPeerApi;

    @AfterEach
    void stop() {
        if (mxPeerApi != null) {
            mxPeerApi.stop(0);
        }
        clientThreads.shutdownNow();
    }

    private URI mxPeerApi(int status) {
        mxPeerApi = SamplePeers.peerApi(Country.MX, PeerProtocol.ENVELOPES_PATH, exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                byte[] answer = "{\"code\":\"malformed_json\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        return SamplePeers.url(mxPeerApi);
    }

    @OnBothDatabases
    void an_unsigned_400_413_or_415_from_the_peer_is_retried_and_the_message_stays_pending(TestDatabase db)
            throws Exception {
        OutboxStore outbox = TestPayloads.outbox();
        OutboundLedger ledger = ClaimedMessage.ledger(db, outbox);
        for (int status : List.of(400, 413, 415)) {
            requests.set(0);
            PeerClient peer = new PeerClient(SamplePeers.peerTls(Country.US), mxPeerApi(status), SamplePeers.MX_GATEWAY,
                    Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ZERO, clientThreads);
            PeerEnvelopeWorker worker = new PeerEnvelopeWorker(db.tx(), outbox, ledger, new PeerEnvelopeWorker.Road(
                    SamplePeers.envelopes(Country.US, clock), peer, new AdmissionControl(1 << 20, 100, 1 << 20)), clock,
                    ExchangeObserver.NONE);
            ClaimedMessage claimed = ClaimedMessage.accept(db, ledger);
            EnvelopeHeader h = claimed.header();
            List<Job> jobs = claimed.jobs();

            List<Outcome> outcomes = worker.perform(jobs);

            assertThat(requests).as("HTTP %d: one request", status).hasValue(1);
            assertThat(outcomes).as("HTTP %d", status).singleElement().isInstanceOfSatisfying(Outcome.Retry.class, r -> {
                assertThat(r.code()).isEqualTo(ErrorCode.PEER_SERVER_ERROR);
                assertThat(r.detail()).isEqualTo("HTTP " + status + " malformed_json");
            });
            Outcome.Retry retry = (Outcome.Retry) outcomes.get(0);
            db.tx().write(c -> {
                retry.record().write(c);
                return null;
            });
            OutboxEntry e = db.tx().read(c -> outbox.find(c, h.messageId())).orElseThrow();
            assertThat(e.state()).as("HTTP %d: not FAILED", status).isEqualTo(OutboxState.PENDING);
            assertThat(e.attempts()).isEqualTo(1);
            mxPeerApi.stop(0);
        }
    }
}
