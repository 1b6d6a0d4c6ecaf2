package org.puente.engine.answer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.engine.inbound.NoticeSender;
import org.puente.engine.inbound.SignedNotices;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.Worker;

/**
 * Carries our agencies' business answers to the peer gateway: each as a signed notice
 * ({@link DeliveryNotice#ANSWERED}), one batch per request over the notices endpoint
 * ({@link SignedNotices}). The peer answers only once it has recorded them; until then they are
 * tried again.
 */
public final class BusinessAnswerWorker implements Worker, NoticeSender.Facts<AnswerRows.Row> {
    private final NoticeSender sender;
    private final PeerClient peer;

    public BusinessAnswerWorker(NoticeSender sender, PeerClient peer) {
        this.sender = sender;
        this.peer = peer;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.BUSINESS_ANSWER;
    }

    @Override
    public List<Outcome> perform(List<Job> jobs) {
        return sender.send(jobs, this, peer::sendNotices);
    }

    @Override
    public Optional<AnswerRows.Row> find(Connection c, UUID messageId) throws SQLException {
        return AnswerRows.find(c, messageId).filter(r -> AnswerRows.GIVEN.equals(r.direction()));
    }

    @Override
    public DeliveryNotice notice(AnswerRows.Row r) {
        return DeliveryNotice.answered(r.messageId(), r.agency(), r.answeredAt(), r.answer());
    }

    @Override
    public void sent(Connection c, AnswerRows.Row r, Instant at) throws SQLException {
        AnswerRows.sent(c, r.messageId(), at);
    }

    @Override
    public String detail(AnswerRows.Row r) {
        return DeliveryNotice.ANSWERED + " " + r.answer().status() + " " + r.agency();
    }

    @Override
    public Runnable expired(Connection c, Job job, Instant now) {
        return () -> { };
    }
}
