package org.puente.engine.withdrawal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.engine.inbound.NoticeSender;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.engine.peer.PeerClient;
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
public final class WithdrawalWorker implements Worker, NoticeSender.Facts<WithdrawalRows.Row> {
    private final NoticeSender sender;
    private final PeerClient peer;

    public WithdrawalWorker(NoticeSender sender, PeerClient peer) {
        this.sender = sender;
        this.peer = peer;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.WITHDRAWAL_NOTICE;
    }

    @Override
    public List<Outcome> perform(List<Job> jobs) {
        return sender.send(jobs, this, peer::sendWithdrawals);
    }

    @Override
    public Optional<WithdrawalRows.Row> find(Connection c, UUID messageId) throws SQLException {
        return WithdrawalRows.find(c, messageId).filter(r -> WithdrawalRows.SENT.equals(r.direction()));
    }

    @Override
    public DeliveryNotice notice(WithdrawalRows.Row r) {
        return DeliveryNotice.withdrawn(r.messageId(), r.agency(), r.at(), r.withdrawal());
    }

    @Override
    public void sent(Connection c, WithdrawalRows.Row r, Instant at) throws SQLException {
        WithdrawalRows.sent(c, r.messageId(), at);
    }

    @Override
    public String detail(WithdrawalRows.Row r) {
        return r.kind() + " " + r.agency();
    }

    @Override
    public Runnable expired(Connection c, Job job, Instant now) {
        return () -> { };
    }
}
