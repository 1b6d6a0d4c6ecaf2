package org.puente.engine.outbound;

import static org.puente.engine.testing.StoreFixtures.ANAM;
import static org.puente.engine.testing.StoreFixtures.CBP;
import static org.puente.engine.testing.StoreFixtures.T0;
import static org.puente.engine.testing.StoreFixtures.outbound;

import java.util.List;
import java.util.UUID;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.testing.SamplePeers;
import org.puente.engine.testing.StoreFixtures;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.work.Job;
import org.puente.engine.work.Lane;
import org.puente.engine.work.NewJob;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;

/**
 * One message accepted into the outbox with its job for the peer, claimed: what the submission
 * service and the work runner hand a {@link PeerEnvelopeWorker}.
 */
record ClaimedMessage(EnvelopeHeader header, OutboxStore.NewMessage message, List<Job> jobs) {

    /** The US gateway's outbound ledger on {@code db}, its audit log taking part in every unit. */
    static OutboundLedger ledger(TestDatabase db, OutboxStore outbox) {
        AuditLog audit = new AuditLog(Country.US, db.database().dialect());
        db.tx().addParticipant(audit);
        return new OutboundLedger(outbox, new StatusStore(), audit, SamplePeers.US_GATEWAY, SamplePeers.MX_GATEWAY);
    }

    /** A new CBP message to ANAM, accepted and its peer job enqueued in one unit, as the submission service does. */
    static ClaimedMessage accept(TestDatabase db, OutboundLedger ledger) {
        EnvelopeHeader h = StoreFixtures.header(UUID.randomUUID(), CBP, ANAM, Priority.NORMAL, T0);
        OutboxStore.NewMessage m = outbound(h, null);
        WorkQueue queue = new WorkQueue(db.database().dialect());
        db.tx().write(c -> {
            ledger.accepted(c, m, "CN=CBP agency system", T0);
            return queue.enqueue(c, NewJob.forMessage(WorkKind.PEER_ENVELOPE, h.messageId(), Lane.of(h.priority()),
                    m.envelope().length, T0, h.expiresAt()), T0);
        });
        List<Job> jobs = db.tx().write(c -> queue
                .claim(c, WorkKind.PEER_ENVELOPE, 10, 1, Long.MAX_VALUE, "us-1", T0.plusSeconds(31), T0.plusSeconds(1)).get(0));
        return new ClaimedMessage(h, m, jobs);
    }
}
