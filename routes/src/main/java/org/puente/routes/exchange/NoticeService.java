package org.puente.routes.exchange;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.puente.model.error.PuenteException;
import org.puente.routes.peer.PeerCall;
import org.puente.routes.peer.PeerClient;
import org.puente.routes.peer.PeerProtocol;
import org.puente.routes.store.AuditEvent;
import org.puente.routes.store.AuditEventType;
import org.puente.routes.store.AuditLog;
import org.puente.routes.store.MessageStatus;
import org.puente.routes.store.NoticeStore;
import org.puente.routes.store.OutboxEntry;
import org.puente.routes.store.OutboxStore;
import org.puente.routes.store.StatusStore;
import org.puente.routes.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery status flowing back across the border: sends signed notices for messages our
 * agencies took, and records the peer's notices against the messages we sent (DELIVERED).
 */
public final class NoticeService {
    private static final Logger LOG = LoggerFactory.getLogger(NoticeService.class);
    private static final int BATCH = 200;

    private final Transactions tx;
    private final NoticeStore notices;
    private final OutboxStore outbox;
    private final StatusStore statuses;
    private final AuditLog audit;
    private final PeerEnvelopes envelopes;
    private final PeerClient peer;
    private final DispatchControl control;
    private final Backoff backoff;
    private final Clock clock;
    private final NoticeListener listener;

    /** Observes notices (metrics: deliveries as seen by the sender, end-to-end latency). */
    public interface NoticeListener {
        void deliveredToAgency(OutboxEntry sent, Instant at);
    }

    public NoticeService(Transactions tx, NoticeStore notices, OutboxStore outbox, StatusStore statuses, AuditLog audit,
                         PeerEnvelopes envelopes, PeerClient peer, DispatchControl control, Backoff backoff, Clock clock,
                         NoticeListener listener) {
        this.tx = tx;
        this.notices = notices;
        this.outbox = outbox;
        this.statuses = statuses;
        this.audit = audit;
        this.envelopes = envelopes;
        this.peer = peer;
        this.control = control;
        this.backoff = backoff;
        this.clock = clock;
        this.listener = listener;
    }

    /** Sends due notices; returns how many went out (a full batch means more may wait). */
    public int sendDue() {
        if (control.isSuspended()) {
            return 0;
        }
        List<NoticeStore.Notice> due = tx.read(c -> notices.due(c, clock.instant(), BATCH));
        if (due.isEmpty()) {
            return 0;
        }
        List<byte[]> signed = new ArrayList<>(due.size());
        for (NoticeStore.Notice n : due) {
            signed.add(envelopes.signNotice(new DeliveryNotice(n.messageId(), n.kind(), n.agency(), n.at())));
        }
        PeerCall<PeerProtocol.NoticeAnswer> call = peer.sendNotices(new PeerProtocol.NoticeBatch(signed));
        Instant now = clock.instant();
        List<Transactions.Work<Void>> works = new ArrayList<>();
        for (NoticeStore.Notice n : due) {
            if (call.kind() == PeerCall.Kind.ANSWERED) {
                works.add(c -> {
                    notices.markSent(c, n.id());
                    audit.append(c, AuditEvent.action(AuditEventType.NOTICE_SENT, now, envelopes.ownName(),
                            n.kind() + " " + n.agency()).withMessageId(n.messageId()));
                    return null;
                });
            } else {
                Instant next = backoff.next(now, n.attempts());
                works.add(c -> {
                    notices.reschedule(c, n.id(), next);
                    return null;
                });
            }
        }
        tx.writeAll(works);
        if (call.kind() != PeerCall.Kind.ANSWERED) {
            LOG.warn("delivery notices not sent, retrying later: {} {}", call.error().code(), call.detail());
            return 0;
        }
        return due.size();
    }

    /** Records the peer's signed notices; returns how many were accepted. */
    public int receive(PeerProtocol.NoticeBatch batch) {
        int accepted = 0;
        for (byte[] cms : batch.notices()) {
            DeliveryNotice n;
            try {
                n = envelopes.verifyNotice(cms);
            } catch (PuenteException e) {
                LOG.warn("refused a delivery notice from the peer: {}", e.errorCode().code());
                continue;
            }
            Optional<OutboxEntry> sent = tx.read(c -> outbox.find(c, n.messageId()));
            if (sent.isEmpty() || !sent.get().header().receiver().agency().equals(n.agency())) {
                LOG.warn("delivery notice for a message this gateway did not send to {}: {}", n.agency(), n.messageId());
                continue;
            }
            OutboxEntry e = sent.get();
            Instant now = clock.instant();
            boolean first = tx.write(c -> {
                int changed = outbox.markDelivered(c, n.messageId(), now);
                statuses.append(c, n.messageId(), MessageStatus.DELIVERED, n.at(), null, n.agency());
                if (changed == 1) {
                    audit.append(c, AuditEvent.of(AuditEventType.NOTICE_RECEIVED, e.header(), now, envelopes.peerName())
                            .withDigests(e.payloadSha256(), e.envelopeSha256())
                            .withOutcome(AuditEvent.OK, null, n.status() + " to " + n.agency() + " at " + n.at()));
                }
                return changed == 1;
            });
            if (first) {
                listener.deliveredToAgency(e, n.at());
            }
            accepted++;
        }
        return accepted;
    }
}
