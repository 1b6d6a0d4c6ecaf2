package org.puente.engine.withdrawal;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.inbound.SignedNotices;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.Worker;

/**
 * Carries our agencies' withdrawals to the peer gateway: each as a signed notice
 * ({@link DeliveryNotice#CANCELLED} or {@link DeliveryNotice#REPLACED}), one batch per request over
 * the withdrawals endpoint. The peer answers {@code later} for a message it has not stored yet;
 * the job is tried again until it has.
 */
public final class WithdrawalWorker implements Worker {
    private final Transactions tx;
    private final PeerEnvelopes envelopes;
    private final PeerClient peer;
    private final AuditLog audit;
    private final String gatewayName;
    private final Clock clock;

    public WithdrawalWorker(Transactions tx, PeerEnvelopes envelopes, PeerClient peer, AuditLog audit, String gatewayName,
                            Clock clock) {
        this.tx = tx;
        this.envelopes = envelopes;
        this.peer = peer;
        this.audit = audit;
        this.gatewayName = gatewayName;
        this.clock = clock;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.WITHDRAWAL_NOTICE;
    }

    @Override
    public List<Outcome> perform(List<Job> jobs) {
        Map<UUID, WithdrawalRows.Row> rows = new HashMap<>();
        tx.read(c -> {
            for (Job j : jobs) {
                WithdrawalRows.find(c, j.messageId()).filter(r -> WithdrawalRows.SENT.equals(r.direction()))
                        .ifPresent(r -> rows.put(r.messageId(), r));
            }
            return null;
        });
        List<Outcome> outcomes = new ArrayList<>(jobs.size());
        List<SignedNotices.Notice> notices = new ArrayList<>();
        for (Job j : jobs) {
            WithdrawalRows.Row r = rows.get(j.messageId());
            if (r == null) {
                outcomes.add(Outcome.done(j, Outcome.Record.NOTHING));
                continue;
            }
            byte[] signed = envelopes.signNotice(DeliveryNotice.withdrawn(r.messageId(), r.agency(), r.at(), r.withdrawal()));
            notices.add(new SignedNotices.Notice(j, signed, c -> {
                Instant now = clock.instant();
                WithdrawalRows.sent(c, r.messageId(), now);
                audit.append(c, AuditEvent.action(AuditEventType.NOTICE_SENT, now, gatewayName, r.kind() + " " + r.agency())
                        .withMessageId(r.messageId()));
                return () -> { };
            }));
        }
        outcomes.addAll(SignedNotices.send(peer::sendWithdrawals, notices));
        return outcomes;
    }

    @Override
    public Runnable expired(Connection c, Job job, Instant now) {
        return () -> { };
    }
}
