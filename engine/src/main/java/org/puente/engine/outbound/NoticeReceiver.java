package org.puente.engine.outbound;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the peer's signed delivery notices against the messages this gateway sent: each
 * verified notice makes its message DELIVERED and is kept with it as the proof of delivery.
 * The answer to the peer leaves only after that unit is on disk.
 */
public final class NoticeReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(NoticeReceiver.class);

    private final Transactions tx;
    private final OutboxStore outbox;
    private final OutboundLedger ledger;
    private final PeerEnvelopes envelopes;
    private final Clock clock;
    private final ExchangeObserver observer;
    private final WorkQueue queue;

    public NoticeReceiver(Transactions tx, OutboxStore outbox, OutboundLedger ledger, WorkQueue queue, PeerEnvelopes envelopes,
                          Clock clock, ExchangeObserver observer) {
        this.queue = queue;
        this.tx = tx;
        this.outbox = outbox;
        this.ledger = ledger;
        this.envelopes = envelopes;
        this.clock = clock;
        this.observer = observer;
    }

    /**
     * Records the notices. Returns how many were accepted (verified, about a message we sent to
     * that agency), and the messages whose notice came before this gateway recorded their receipt
     * (a receipt lost on the way back, its retry still due): the peer sends those again later, so
     * no notice is acknowledged without being recorded.
     */
    public PeerProtocol.NoticeAnswer receive(PeerProtocol.NoticeBatch batch) {
        List<Transactions.Work<Runnable>> units = new ArrayList<>();
        List<java.util.UUID> later = java.util.Collections.synchronizedList(new ArrayList<>());
        for (byte[] cms : batch.notices()) {
            DeliveryNotice n;
            try {
                n = envelopes.verifyNotice(cms);
                checkKind(n);
            } catch (PuenteException e) {
                LOG.warn("refused a delivery notice from the peer: {}", e.errorCode().code());
                continue;
            }
            units.add(c -> {
                OutboxEntry e = outbox.find(c, n.messageId())
                        .filter(x -> x.header().receiver().agency().equals(n.agency())).orElse(null);
                if (e == null) {
                    LOG.warn("delivery notice for a message this gateway did not send to {}: {}", n.agency(), n.messageId());
                    return null;
                }
                Instant now = clock.instant();
                if (e.state() == OutboxState.PENDING) {
                    later.add(n.messageId());
                    return null;
                }
                if (DeliveryNotice.ANSWERED.equals(n.status())) {
                    return ledger.answered(c, e, cms, n, now) ? () -> observer.answered(e.header(), n.answer().status())
                            : () -> { };
                }
                if (!ledger.delivered(c, e, cms, n, now)) {
                    return () -> { };
                }
                if (e.state() == OutboxState.EXPIRED) {
                    // delivered after all: the dead letter of its envelope has nothing left to do
                    queue.forget(c, WorkKind.PEER_ENVELOPE, e.messageId().toString());
                }
                return () -> observer.deliveredToAgency(e.header(), n.at());
            });
        }
        int accepted = 0;
        for (Transactions.Outcome<Runnable> o : tx.writeAll(units)) {
            if (o.failure() != null) {
                throw o.failure();
            }
            if (o.value() != null) {
                o.value().run();
                accepted++;
            }
        }
        return new PeerProtocol.NoticeAnswer(accepted, List.copyOf(later));
    }

    /** A notice says DELIVERED, or ANSWERED with a well-formed answer; anything else is refused. */
    private static void checkKind(DeliveryNotice n) {
        if (n.withdrawal() != null) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "a withdrawal on the notices path");
        }
        if (DeliveryNotice.ANSWERED.equals(n.status())) {
            if (n.answer() == null) {
                throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "an ANSWERED notice without its answer");
            }
            n.answer().validated();
        } else if (!DeliveryNotice.DELIVERED.equals(n.status()) || n.answer() != null) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "a notice of status " + n.status());
        }
    }
}
