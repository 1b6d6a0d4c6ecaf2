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
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerEnvelopes;
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
        List<SignedNotices.Notice> notices = new ArrayList<>();
        for (Job j : jobs) {
            InboxEntry e = entries.get(j.messageId());
            if (e == null || e.acknowledgedAt() == null) {
                outcomes.add(Outcome.done(j, Outcome.Record.NOTHING));
                continue;
            }
            byte[] signed = envelopes.signNotice(DeliveryNotice.delivered(e.messageId(), e.header().receiver().agency(),
                    e.acknowledgedAt()));
            notices.add(new SignedNotices.Notice(j, signed, c -> {
                ledger.noticeSent(c, e, clock.instant());
                return () -> observer.noticeSent(e.header());
            }));
        }
        outcomes.addAll(SignedNotices.send(peer, notices));
        return outcomes;
    }

    @Override
    public Runnable expired(Connection c, Job job, Instant now) {
        return () -> { };
    }
}
