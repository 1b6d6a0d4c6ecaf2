package org.puente.engine.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.puente.engine.peer.PeerCall;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;
import org.puente.model.error.ErrorCode;

/**
 * Sends signed notices to the peer gateway as one batch (delivery notices, business answers,
 * withdrawals) and
 * turns its answer into each job's outcome: done with what the job records once the peer has
 * recorded the notice; tried again when the peer has not recorded the message's receipt yet
 * ({@code later}) or the road failed.
 */
public final class SignedNotices {
    /** One notice: its job, its signed bytes, and what to record once the peer recorded it. */
    public record Notice(Job job, byte[] signed, Outcome.Record recorded) {
    }

    private SignedNotices() {
    }

    public static List<Outcome> send(PeerClient peer, List<Notice> notices) {
        return send(peer::sendNotices, notices);
    }

    /** The same over another path of the peer API ({@link PeerClient#sendWithdrawals}). */
    public static List<Outcome> send(java.util.function.Function<PeerProtocol.NoticeBatch,
            PeerCall<PeerProtocol.NoticeAnswer>> path, List<Notice> notices) {
        if (notices.isEmpty()) {
            return List.of();
        }
        PeerCall<PeerProtocol.NoticeAnswer> call = path.apply(
                new PeerProtocol.NoticeBatch(notices.stream().map(Notice::signed).toList()));
        Set<UUID> later = call.kind() == PeerCall.Kind.ANSWERED ? Set.copyOf(call.answer().laterOrNone()) : Set.of();
        List<Outcome> outcomes = new ArrayList<>(notices.size());
        for (Notice n : notices) {
            if (later.contains(n.job().messageId())) {
                outcomes.add(Outcome.retry(n.job(), ErrorCode.NOT_READY, "the peer has not recorded the message yet"));
            } else if (call.kind() == PeerCall.Kind.ANSWERED) {
                outcomes.add(Outcome.done(n.job(), n.recorded()));
            } else {
                outcomes.add(Outcome.retry(n.job(), call.error(), call.detail()));
            }
        }
        return outcomes;
    }
}
