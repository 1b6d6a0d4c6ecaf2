package org.puente.engine.withdrawal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.puente.engine.inbound.InboundLedger;
import org.puente.engine.inbound.InboxEntry;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.store.Transactions;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the peer's signed withdrawals against the messages this gateway received: the receiving
 * agency's mailbox then shows the cancellation or the replacement (linked by its id), and the
 * signed notice is kept as proof. A withdrawal of a message not stored here yet is answered
 * {@code later}; one that is not verified, or names a message the agency did not send us, is
 * refused and logged.
 */
public final class WithdrawalReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(WithdrawalReceiver.class);

    private final Transactions tx;
    private final InboxStore inbox;
    private final InboundLedger ledger;
    private final PeerEnvelopes envelopes;
    private final Clock clock;

    public WithdrawalReceiver(Transactions tx, InboxStore inbox, InboundLedger ledger, PeerEnvelopes envelopes, Clock clock) {
        this.tx = tx;
        this.inbox = inbox;
        this.ledger = ledger;
        this.envelopes = envelopes;
        this.clock = clock;
    }

    public PeerProtocol.NoticeAnswer receive(PeerProtocol.NoticeBatch batch) {
        List<Transactions.Work<Boolean>> units = new ArrayList<>();
        List<UUID> later = Collections.synchronizedList(new ArrayList<>());
        for (byte[] cms : batch.notices()) {
            DeliveryNotice n;
            try {
                n = envelopes.verifyNotice(cms);
                checkKind(n);
            } catch (PuenteException e) {
                LOG.warn("refused a withdrawal from the peer: {}", e.errorCode().code());
                continue;
            }
            units.add(c -> {
                InboxEntry e = inbox.find(c, n.messageId()).orElse(null);
                if (e == null) {
                    later.add(n.messageId());
                    return false;
                }
                if (!e.header().sender().agency().equals(n.agency())) {
                    LOG.warn("withdrawal by {} of a message it did not send: {}", n.agency(), n.messageId());
                    return false;
                }
                Instant now = clock.instant();
                if (WithdrawalRows.insert(c, n.messageId(), WithdrawalRows.RECEIVED, n.agency(), n.withdrawal(), n.at(),
                        ledger.peerName(), cms)) {
                    ledger.withdrawn(c, e, n.status() + (n.withdrawal().replacement() == null ? ""
                            : " by " + n.withdrawal().replacement()) + ": " + n.withdrawal().reason(), now);
                }
                return true;
            });
        }
        int accepted = 0;
        for (Transactions.Outcome<Boolean> o : tx.writeAll(units)) {
            if (o.failure() != null) {
                throw o.failure();
            }
            accepted += Boolean.TRUE.equals(o.value()) ? 1 : 0;
        }
        return new PeerProtocol.NoticeAnswer(accepted, List.copyOf(later));
    }

    /** A withdrawal says CANCELLED, or REPLACED with its replacement, and gives a reason. */
    private static void checkKind(DeliveryNotice n) {
        DeliveryNotice.Withdrawal w = n.withdrawal();
        if (!n.withdraws() || w == null || n.answer() != null || w.reason() == null || w.reason().isBlank()
                || w.reason().length() > Withdrawals.MAX_REASON
                || DeliveryNotice.REPLACED.equals(n.status()) != (w.replacement() != null)) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "a withdrawal of status " + n.status());
        }
    }
}
