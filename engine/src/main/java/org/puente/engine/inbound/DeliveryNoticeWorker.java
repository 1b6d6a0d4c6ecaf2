package org.puente.engine.inbound;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.engine.peer.PeerCall;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.Worker;

/**
 * Sends signed delivery notices to the peer gateway for messages our agencies acknowledged (or
 * whose push endpoint accepted them), one batch per request. The peer answers only once it has
 * recorded them; until then the notices are tried again.
 */
public final class DeliveryNoticeWorker implements Worker {
    private final Transactions tx;
    private final InboxStore inbox;
    private final InboundLedger ledger;
    private final PeerEnvelopes envelopes;
    private final PeerClient peer;
    private final Clock clock;
    private final ExchangeObserver observer;

    public DeliveryNoticeWorker(Transactions tx, InboxStore inbox, InboundLedger ledger, PeerEnvelopes envelopes,
                                PeerClient peer, Clock clock, ExchangeObserver observer) {
        this.tx = tx;
        this.inbox = inbox;
        this.ledger = ledger;
        this.envelopes = envelopes;
        this.peer = peer;
        this.clock = clock;
        this.observer = observer;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.DELIVERY_NOTICE;
    }

    @Override
    public List<Outcome> perform(List<Job> jobs) {
        Map<UUID, InboxEntry> entries = new HashMap<>();
        tx.read(c -> {
            for (Job j : jobs) {
                inbox.find(c, j.messageId()).ifPresent(e -> entries.put(e.messageId(), e));
            }
            return null;
        });
        List<Outcome> outcomes = new ArrayList<>(jobs.size());
        List<Job> sending = new ArrayList<>();
        List<byte[]> signed = new ArrayList<>();
        for (Job j : jobs) {
            InboxEntry e = entries.get(j.messageId());
            if (e == null || e.acknowledgedAt() == null) {
                outcomes.add(Outcome.done(j, Outcome.Record.NOTHING));
                continue;
            }
            sending.add(j);
            signed.add(envelopes.signNotice(DeliveryNotice.delivered(e.messageId(), e.header().receiver().agency(),
                    e.acknowledgedAt())));
        }
        if (sending.isEmpty()) {
            return outcomes;
        }
        PeerCall<PeerProtocol.NoticeAnswer> call = peer.sendNotices(new PeerProtocol.NoticeBatch(signed));
        java.util.Set<UUID> later = call.kind() == PeerCall.Kind.ANSWERED ? java.util.Set.copyOf(call.answer().laterOrNone())
                : java.util.Set.of();
        for (Job j : sending) {
            InboxEntry e = entries.get(j.messageId());
            if (later.contains(j.messageId())) {
                outcomes.add(Outcome.retry(j, org.puente.model.error.ErrorCode.NOT_READY,
                        "the peer has not recorded its receipt yet"));
            } else if (call.kind() == PeerCall.Kind.ANSWERED) {
                outcomes.add(Outcome.done(j, c -> {
                    ledger.noticeSent(c, e, clock.instant());
                    return () -> observer.noticeSent(e.header());
                }));
            } else {
                outcomes.add(Outcome.retry(j, call.error(), call.detail()));
            }
        }
        return outcomes;
    }

    @Override
    public Runnable expired(Connection c, Job job, Instant now) {
        return () -> { };
    }
}
