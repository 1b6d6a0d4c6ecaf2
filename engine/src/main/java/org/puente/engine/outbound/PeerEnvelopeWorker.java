package org.puente.engine.outbound;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.puente.engine.admission.AdmissionControl;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.peer.PeerCall;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.Worker;
import org.puente.envelope.receipt.Receipt;
import org.puente.envelope.receipt.ReceiptOutcome;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Sends accepted messages' envelopes to the peer gateway, one batch per request, and judges each
 * signed answer: a valid receipt is RECEIPTED, a signed refusal is final (FAILED), anything else
 * — no answer, a 5xx or an unsigned refusal, an answer that does not verify — is a failure of the
 * road, tried again until the message expires. The envelope was sealed once at submission, so
 * every retry sends the same bytes.
 *
 * <p>A batch holds its share of the processing budget while it is read, sent and judged
 * ({@link #budgetShare}): several dispatch lines each sending one large envelope at once would
 * otherwise take more heap than the budget lets the submissions that made them take. A share
 * that does not fit waits up to {@link #BUDGET_PATIENCE} for room; then nothing is sent and the
 * batch is tried again after the backoff ({@code overloaded}, an attempt like a failed send).
 */
public final class PeerEnvelopeWorker implements Worker {
    /** How long a batch waits for room in the processing budget before it is tried again later. */
    static final Duration BUDGET_PATIENCE = Duration.ofSeconds(2);

    private final Transactions tx;
    private final OutboxStore outbox;
    private final OutboundLedger ledger;
    private final PeerEnvelopes envelopes;
    private final PeerClient peer;
    private final AdmissionControl admission;
    private final Clock clock;
    private final ExchangeObserver observer;

    /**
     * What sending to the peer needs: the envelope service (to judge receipts), the peer client,
     * and the admission whose processing budget a batch holds while it is sent.
     */
    public record Road(PeerEnvelopes envelopes, PeerClient peer, AdmissionControl admission) {
    }

    public PeerEnvelopeWorker(Transactions tx, OutboxStore outbox, OutboundLedger ledger, Road road, Clock clock,
                              ExchangeObserver observer) {
        this.tx = tx;
        this.outbox = outbox;
        this.ledger = ledger;
        this.envelopes = road.envelopes();
        this.peer = road.peer();
        this.admission = road.admission();
        this.clock = clock;
        this.observer = observer;
    }

    /**
     * The share of the processing budget a batch of {@code envelopeBytes} holds. The budget counts
     * documents' bytes, each of which stands for ten to twelve bytes of heap while a document is
     * validated, sealed and stored (a twelfth of the heap by default); an envelope on its way to
     * the peer takes about 2.7 times its size (docs/BENCHMARKS.md, "Large payloads"): the
     * envelope, and its base64 inside the JSON body. So a batch holds a quarter of its bytes.
     */
    static long budgetShare(long envelopeBytes) {
        return (envelopeBytes + 3) / 4;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.PEER_ENVELOPE;
    }

    @Override
    public List<Outcome> perform(List<Job> jobs) {
        // a job's size is its sealed envelope's length; a share above the whole budget waits to be alone in it
        long bytes = Math.min(budgetShare(jobs.stream().mapToLong(Job::sizeBytes).sum()), admission.processingBytes());
        AdmissionControl.Ticket share;
        try {
            share = admission.holdWithin(bytes, BUDGET_PATIENCE);
        } catch (PuenteException e) {
            // the heap stayed taken by other documents: send nothing, try again after the backoff
            return jobs.stream().<Outcome>map(j -> Outcome.retry(j, e.errorCode(), "not sent: the processing budget"
                    + " stayed in use by other documents for " + BUDGET_PATIENCE.toSeconds() + " s")).toList();
        }
        try (share) {
            return send(jobs);
        }
    }

    private List<Outcome> send(List<Job> jobs) {
        Map<UUID, OutboxEntry> byId = new HashMap<>();
        Map<UUID, byte[]> envelopeOf = new HashMap<>();
        for (OutboxStore.Outgoing o : tx.read(c -> outbox.findForSending(c, jobs.stream().map(Job::messageId).toList()))) {
            byId.put(o.entry().messageId(), o.entry());
            envelopeOf.put(o.entry().messageId(), o.envelope());
        }
        List<Outcome> outcomes = new ArrayList<>(jobs.size());
        List<Job> sending = new ArrayList<>();
        for (Job j : jobs) {
            OutboxEntry e = byId.get(j.messageId());
            if (e == null || e.state() != OutboxState.PENDING) {
                // decided meanwhile (another instance's receipt, an expiry): nothing left to send
                outcomes.add(Outcome.done(j, Outcome.Record.NOTHING));
            } else {
                sending.add(j);
            }
        }
        if (sending.isEmpty()) {
            return outcomes;
        }
        List<PeerProtocol.EnvelopeItem> items = sending.stream()
                .map(j -> byId.get(j.messageId()))
                .map(e -> new PeerProtocol.EnvelopeItem(e.header(), envelopeOf.get(e.messageId()))).toList();
        Instant sentAt = clock.instant();
        PeerCall<PeerProtocol.ResultBatch> call = peer.sendEnvelopes(new PeerProtocol.EnvelopeBatch(items));
        if (call.kind() != PeerCall.Kind.ANSWERED) {
            // no signed answer: whatever the transport said, only a signed refusal is final
            for (Job j : sending) {
                outcomes.add(retry(j, byId.get(j.messageId()), call.error(), call.detail()));
            }
            return outcomes;
        }
        Map<UUID, byte[]> receipts = new HashMap<>();
        for (PeerProtocol.ResultItem r : call.answer().results()) {
            receipts.put(r.messageId(), r.receipt());
        }
        for (Job j : sending) {
            outcomes.add(judge(j, byId.get(j.messageId()), receipts.get(j.messageId()), sentAt));
        }
        return outcomes;
    }

    private Outcome judge(Job j, OutboxEntry e, byte[] receipt, Instant sentAt) {
        if (receipt == null) {
            return retry(j, e, ErrorCode.RECEIPT_MISMATCH, "the peer's answer has no receipt for this message");
        }
        Receipt view;
        try {
            view = envelopes.verifyReceipt(receipt, e.messageId(), e.envelopeSha256());
        } catch (PuenteException ex) {
            return retry(j, e, ex.errorCode(), ex.getMessage());
        }
        if (view.outcome() == ReceiptOutcome.ACCEPTED) {
            return Outcome.done(j, c -> {
                Instant now = clock.instant();
                if (!ledger.receipted(c, e, receipt, sentAt, view.receivedAt(), now)) {
                    return () -> { };
                }
                return () -> observer.receipted(e.header(), now);
            });
        }
        ErrorCode refusal = view.error().orElse(ErrorCode.INTERNAL_ERROR);
        if (view.retryable()) {
            return retry(j, e, refusal, view.sentence());
        }
        String detail = view.errorCode() + ": " + view.sentence();
        return new Outcome.Failed(j, refusal, detail, c -> {
            if (!ledger.refused(c, e, receipt, refusal, detail, clock.instant())) {
                return () -> { };
            }
            return () -> observer.sendFailed(e.header(), refusal, false);
        });
    }

    private Outcome retry(Job j, OutboxEntry e, ErrorCode code, String detail) {
        return new Outcome.Retry(j, code, detail, c -> {
            ledger.retried(c, e, code, detail, clock.instant());
            return () -> observer.sendFailed(e.header(), code, true);
        });
    }

    @Override
    public Runnable expired(Connection c, Job job, Instant now) throws SQLException {
        OutboxEntry e = outbox.find(c, job.messageId()).orElse(null);
        if (e == null || !ledger.expired(c, e, "time-to-live ran out before the peer receipted it", now)) {
            return () -> { };
        }
        return () -> observer.expired(e.header());
    }
}
