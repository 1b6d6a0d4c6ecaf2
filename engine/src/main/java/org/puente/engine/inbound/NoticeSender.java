package org.puente.engine.inbound;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.engine.peer.PeerCall;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;

/**
 * The work of a job that carries a stored fact to the peer as a signed notice (a business answer,
 * a withdrawal): read each job's row, sign its notice, send them as one batch
 * ({@link SignedNotices}), and once the peer recorded one, mark its row sent and audit
 * {@code NOTICE_SENT} in the unit that ends the job. A job whose row is gone is done.
 */
public final class NoticeSender {
    /** Where the facts are, and what each says to the peer. */
    public interface Facts<R> {
        Optional<R> find(Connection c, UUID messageId) throws SQLException;

        DeliveryNotice notice(R fact);

        /** The peer recorded it. */
        void sent(Connection c, R fact, Instant at) throws SQLException;

        /** The detail of the {@code NOTICE_SENT} audit event, e.g. {@code ANSWERED REFUSED ANAM}. */
        String detail(R fact);
    }

    private final Transactions tx;
    private final PeerEnvelopes envelopes;
    private final AuditLog audit;
    private final String gatewayName;
    private final Clock clock;

    public NoticeSender(Transactions tx, PeerEnvelopes envelopes, AuditLog audit, String gatewayName, Clock clock) {
        this.tx = tx;
        this.envelopes = envelopes;
        this.audit = audit;
        this.gatewayName = gatewayName;
        this.clock = clock;
    }

    public <R> List<Outcome> send(List<Job> jobs, Facts<R> facts,
                                  Function<PeerProtocol.NoticeBatch, PeerCall<PeerProtocol.NoticeAnswer>> path) {
        Map<UUID, R> found = new HashMap<>();
        tx.read(c -> {
            for (Job j : jobs) {
                facts.find(c, j.messageId()).ifPresent(f -> found.put(j.messageId(), f));
            }
            return null;
        });
        List<Outcome> outcomes = new ArrayList<>(jobs.size());
        List<SignedNotices.Notice> notices = new ArrayList<>();
        for (Job j : jobs) {
            R fact = found.get(j.messageId());
            if (fact == null) {
                outcomes.add(Outcome.done(j, Outcome.Record.NOTHING));
                continue;
            }
            notices.add(new SignedNotices.Notice(j, envelopes.signNotice(facts.notice(fact)), c -> {
                Instant now = clock.instant();
                facts.sent(c, fact, now);
                audit.append(c, AuditEvent.action(AuditEventType.NOTICE_SENT, now, gatewayName, facts.detail(fact))
                        .withMessageId(j.messageId()));
                return () -> { };
            }));
        }
        outcomes.addAll(SignedNotices.send(path, notices));
        return outcomes;
    }
}
