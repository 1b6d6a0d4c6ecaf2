package org.puente.routes.exchange;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.puente.envelope.SealedEnvelope;
import org.puente.envelope.receipt.Receipt;
import org.puente.envelope.receipt.ReceiptOutcome;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.config.GatewayConfig;
import org.puente.routes.peer.PeerCall;
import org.puente.routes.peer.PeerClient;
import org.puente.routes.peer.PeerProtocol;
import org.puente.routes.store.AuditEvent;
import org.puente.routes.store.AuditEventType;
import org.puente.routes.store.AuditLog;
import org.puente.routes.store.MessageStatus;
import org.puente.routes.store.OutboxEntry;
import org.puente.routes.store.OutboxState;
import org.puente.routes.store.OutboxStore;
import org.puente.routes.store.StatusStore;
import org.puente.routes.store.Transactions;

/**
 * Moves accepted messages to the peer gateway: claims due messages (most urgent first), seals
 * each once, posts them in batches, verifies every signed receipt and records the outcome.
 * Road failures are retried with backoff until the message's time-to-live runs out (then it is
 * EXPIRED: dead letter); a signed refusal by the peer is final (FAILED).
 */
public final class OutboundDispatcher {
    private final String instanceId;
    private final DispatchQueue fastPath;
    private final Transactions tx;
    private final OutboxStore outbox;
    private final StatusStore statuses;
    private final AuditLog audit;
    private final PeerEnvelopes envelopes;
    private final PeerClient peer;
    private final DispatchControl control;
    private final GatewayConfig.Dispatch settings;
    private final Backoff backoff;
    private final Clock clock;
    private final DispatchListener listener;

    /** Observes dispatch outcomes (metrics). */
    public interface DispatchListener {
        void sealed(OutboxEntry e);

        void receipted(OutboxEntry e, Instant at);

        void failed(OutboxEntry e, ErrorCode code, boolean retrying);

        void expired(OutboxEntry e);
    }

    public OutboundDispatcher(String instanceId, DispatchQueue fastPath, Transactions tx, OutboxStore outbox,
                              StatusStore statuses, AuditLog audit, PeerEnvelopes envelopes, PeerClient peer,
                              DispatchControl control, GatewayConfig.Dispatch settings, Clock clock,
                              DispatchListener listener) {
        this.instanceId = instanceId;
        this.fastPath = fastPath;
        this.tx = tx;
        this.outbox = outbox;
        this.statuses = statuses;
        this.audit = audit;
        this.envelopes = envelopes;
        this.peer = peer;
        this.control = control;
        this.settings = settings;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        this.clock = clock;
        this.listener = listener;
    }

    /** Single-instance start-up: reservations of a previous run of this process are void. */
    public void releaseStaleLeases() {
        tx.write(c -> {
            outbox.releaseAllLeases(c);
            return null;
        });
    }

    /**
     * Claims what is due, as batches for the peer (at most {@code concurrency} of them). Expired
     * messages met on the way are dead-lettered instead. Nothing is claimed while suspended.
     */
    public List<DispatchBatch> claim() {
        if (control.isSuspended()) {
            return List.of();
        }
        Instant now = clock.instant();
        int want = settings.batchSize() * settings.concurrency();
        List<OutboxEntry> claimed = new ArrayList<>(fastPath.take(want));
        if (claimed.size() < want) {
            int more = want - claimed.size();
            claimed.addAll(tx.write(c -> outbox.claimDue(c, now, more, instanceId, now.plus(settings.lease()))));
        }
        List<OutboxEntry> live = new ArrayList<>(claimed.size());
        for (OutboxEntry e : claimed) {
            if (!now.isBefore(e.expiresAt())) {
                expire(e, "time-to-live ran out before the peer receipted it");
            } else {
                live.add(e);
            }
        }
        List<DispatchBatch> batches = new ArrayList<>();
        for (int i = 0; i < live.size(); i += settings.batchSize()) {
            batches.add(DispatchBatch.of(List.copyOf(live.subList(i, Math.min(live.size(), i + settings.batchSize())))));
        }
        return batches;
    }

    /** Whether the last claim filled every batch (more is probably waiting). */
    public boolean wasFull(List<DispatchBatch> batches) {
        return batches.size() == settings.concurrency()
                && batches.stream().allMatch(b -> b.entries().size() == settings.batchSize());
    }

    /** Seals what has no envelope yet and records it (SEALED) before anything is sent. */
    public DispatchBatch seal(DispatchBatch batch) {
        List<OutboxEntry> ready = new ArrayList<>(batch.entries().size());
        List<Transactions.Work<Void>> works = new ArrayList<>();
        Instant now = clock.instant();
        for (OutboxEntry e : batch.entries()) {
            if (e.envelope() != null) {
                ready.add(e);
                continue;
            }
            try {
                SealedEnvelope sealed = envelopes.seal(e.header(), e.payload());
                OutboxEntry s = e.withEnvelope(sealed.bytes(), sealed.sha256());
                ready.add(s);
                works.add(c -> {
                    outbox.recordSealed(c, e.messageId(), sealed.bytes(), sealed.sha256(), now);
                    audit.append(c, AuditEvent.of(AuditEventType.SEALED, e.header(), now, gatewayActor())
                            .withDigests(e.payloadSha256(), sealed.sha256()));
                    return null;
                });
            } catch (PuenteException ex) {
                fail(e, ex.errorCode(), ex.getMessage(), null);
            }
        }
        List<Transactions.Outcome<Void>> outcomes = tx.writeAll(works);
        if (outcomes.stream().anyMatch(o -> o.failure() != null)) {
            throw outcomes.stream().filter(o -> o.failure() != null).findFirst().get().failure();
        }
        ready.forEach(listener::sealed);
        return batch.withEntries(ready);
    }

    /** Posts the batch to the peer. Never throws for road failures: the outcome says what happened. */
    public DispatchBatch post(DispatchBatch batch) {
        if (batch.isEmpty()) {
            return batch;
        }
        List<PeerProtocol.EnvelopeItem> items = batch.entries().stream()
                .map(e -> new PeerProtocol.EnvelopeItem(e.header(), e.envelope())).toList();
        long sentAt = clock.millis();
        return batch.withCall(peer.sendEnvelopes(new PeerProtocol.EnvelopeBatch(items)), sentAt);
    }

    /** Verifies each signed receipt and records RECEIPTED, FAILED, a retry or EXPIRED. */
    public void record(DispatchBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        PeerCall<PeerProtocol.ResultBatch> call = batch.call();
        if (call.kind() != PeerCall.Kind.ANSWERED) {
            boolean retry = call.kind() == PeerCall.Kind.TRANSPORT_ERROR;
            for (OutboxEntry e : batch.entries()) {
                if (retry) {
                    retryLater(e, call.error(), call.detail());
                } else {
                    fail(e, call.error(), call.detail(), null);
                }
            }
            return;
        }
        Map<UUID, byte[]> receipts = new HashMap<>();
        for (PeerProtocol.ResultItem r : call.answer().results()) {
            receipts.put(r.messageId(), r.receipt());
        }
        Instant sentAt = Instant.ofEpochMilli(batch.sentAt());
        List<Transactions.Work<Runnable>> works = new ArrayList<>();
        for (OutboxEntry e : batch.entries()) {
            byte[] receipt = receipts.get(e.messageId());
            if (receipt == null) {
                retryLater(e, ErrorCode.RECEIPT_MISMATCH, "the peer's answer has no receipt for this message");
                continue;
            }
            Receipt view;
            try {
                view = envelopes.verifyReceipt(receipt, e.messageId(), e.envelopeSha256());
            } catch (PuenteException ex) {
                retryLater(e, ex.errorCode(), ex.getMessage());
                continue;
            }
            ErrorCode refusal = view.error().orElse(ErrorCode.INTERNAL_ERROR);
            if (view.outcome() == ReceiptOutcome.ACCEPTED) {
                works.add(c -> receipted(c, e, receipt, sentAt, view.receivedAt()));
            } else if (view.retryable()) {
                retryLater(e, refusal, view.sentence());
            } else {
                fail(e, refusal, view.errorCode() + ": " + view.sentence(), receipt);
            }
        }
        for (Transactions.Outcome<Runnable> o : tx.writeAll(works)) {
            if (o.failure() != null) {
                throw o.failure();
            }
            o.value().run();
        }
    }

    private Runnable receipted(Connection c, OutboxEntry e, byte[] receipt, Instant sentAt, Instant receiptAt)
            throws SQLException {
        Instant now = clock.instant();
        if (outbox.finish(c, e.messageId(), OutboxState.RECEIPTED, receipt, null, null, now) == 0) {
            return () -> { };
        }
        statuses.append(c, e.messageId(), MessageStatus.SENT, sentAt, null, null);
        statuses.append(c, e.messageId(), MessageStatus.RECEIPTED, receiptAt, null, null);
        audit.append(c, AuditEvent.of(AuditEventType.SENT, e.header(), sentAt, gatewayActor())
                .withDigests(e.payloadSha256(), e.envelopeSha256()));
        audit.append(c, AuditEvent.of(AuditEventType.RECEIPTED, e.header(), now, envelopes.peerName())
                .withDigests(e.payloadSha256(), e.envelopeSha256()));
        return () -> listener.receipted(e, now);
    }

    private void retryLater(OutboxEntry e, ErrorCode code, String detail) {
        Instant now = clock.instant();
        Instant next = backoff.next(now, e.attempts());
        if (!next.isBefore(e.expiresAt())) {
            next = e.expiresAt();
        }
        Instant at = next;
        tx.write(c -> {
            outbox.reschedule(c, e.messageId(), at, code.code(), detail, now);
            audit.append(c, AuditEvent.of(AuditEventType.SEND_FAILED, e.header(), now, gatewayActor())
                    .withDigests(e.payloadSha256(), e.envelopeSha256()).withOutcome(AuditEvent.RETRY, code, detail));
            return null;
        });
        listener.failed(e, code, true);
    }

    private void fail(OutboxEntry e, ErrorCode code, String detail, byte[] receipt) {
        Instant now = clock.instant();
        tx.write(c -> {
            if (outbox.finish(c, e.messageId(), OutboxState.FAILED, receipt, code.code(), detail, now) == 1) {
                statuses.append(c, e.messageId(), MessageStatus.FAILED, now, code.code(), detail);
                audit.append(c, AuditEvent.of(AuditEventType.SEND_FAILED, e.header(), now, gatewayActor())
                        .withDigests(e.payloadSha256(), e.envelopeSha256()).withOutcome(AuditEvent.REJECTED, code, detail));
            }
            return null;
        });
        listener.failed(e, code, false);
    }

    private void expire(OutboxEntry e, String detail) {
        Instant now = clock.instant();
        tx.write(c -> {
            if (outbox.finish(c, e.messageId(), OutboxState.EXPIRED, null, ErrorCode.MESSAGE_EXPIRED.code(), detail, now) == 1) {
                statuses.append(c, e.messageId(), MessageStatus.EXPIRED, now, ErrorCode.MESSAGE_EXPIRED.code(), detail);
                audit.append(c, AuditEvent.of(AuditEventType.EXPIRED, e.header(), now, gatewayActor())
                        .withDigests(e.payloadSha256(), e.envelopeSha256())
                        .withOutcome(AuditEvent.FAILED, ErrorCode.MESSAGE_EXPIRED, detail));
            }
            return null;
        });
        listener.expired(e);
    }

    private String gatewayActor() {
        return envelopes.ownName();
    }
}
