package org.puente.engine.inbound;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.work.Lane;
import org.puente.engine.work.NewJob;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;

/**
 * Every change of a received message's life, written in one place: the inbox row, the audit
 * events and the work it calls for (a push to the agency, a file in its drop folder, a delivery
 * notice to the peer), in the caller's unit of work. A change happens once: it applies only
 * while the message is still in the state it leaves.
 */
public final class InboundLedger {
    /** How a message is handed over to its agency. */
    public static final String PULL = "PULL";
    public static final String PUSH = "PUSH";
    public static final String DROP = "DROP";

    private final InboxStore inbox;
    private final WorkQueue queue;
    private final AuditLog audit;
    private final Map<String, WorkKind> handOverByAgency;
    private final String gatewayName;
    private final String peerName;

    /**
     * @param handOverByAgency agencies whose messages are handed over by the gateway itself
     *                         ({@code AGENCY_PUSH} or {@code DROP_FILE}); the others pull
     */
    public InboundLedger(InboxStore inbox, WorkQueue queue, AuditLog audit, Map<String, WorkKind> handOverByAgency,
                         String gatewayName, String peerName) {
        this.inbox = inbox;
        this.queue = queue;
        this.audit = audit;
        this.handOverByAgency = Map.copyOf(handOverByAgency);
        this.gatewayName = gatewayName;
        this.peerName = peerName;
    }

    /** The peer gateway's name, as the audit log names it. */
    public String peerName() {
        return peerName;
    }

    /**
     * A verified message from the peer: stored (audit RECEIVED and STORED), and queued for its
     * agency's push endpoint or drop folder if it has one. Returns false for a duplicate (audit
     * DUPLICATE; nothing else changes).
     */
    public boolean stored(Connection c, InboxStore.NewMessage m, Instant now) throws SQLException {
        EnvelopeHeader h = m.header();
        if (!inbox.insert(c, m, now)) {
            audit.append(c, event(AuditEventType.DUPLICATE, h, now, peerName, m));
            return false;
        }
        audit.append(c, event(AuditEventType.RECEIVED, h, now, peerName, m));
        audit.append(c, event(AuditEventType.STORED, h, now, gatewayName, m));
        WorkKind handOver = handOverByAgency.get(h.receiver().agency());
        if (handOver != null) {
            queue.enqueue(c, NewJob.forMessage(handOver, h.messageId(), Lane.of(h.priority()), m.payload().length, now,
                    handOverDeadline(h, now)), now);
        }
        return true;
    }

    /**
     * The peer sent again a stored message and was answered from the store with its original
     * receipt: audited DUPLICATE with the digests of what arrived this time.
     */
    public void resent(Connection c, EnvelopeHeader arrived, byte[] payloadSha256, byte[] envelopeSha256, Instant now)
            throws SQLException {
        audit.append(c, AuditEvent.of(AuditEventType.DUPLICATE, arrived, now, peerName)
                .withDigests(payloadSha256, envelopeSha256));
    }

    /** The peer's envelope was refused (signed rejection answered): audited, nothing stored. */
    public void refused(Connection c, EnvelopeHeader h, byte[] payloadSha256, byte[] envelopeSha256, ErrorCode code,
                        String detail, Instant now) throws SQLException {
        audit.append(c, AuditEvent.of(AuditEventType.PEER_REJECTED, h, now, peerName)
                .withDigests(payloadSha256, envelopeSha256).withOutcome(AuditEvent.REJECTED, code, detail));
    }

    /** The peer's signed withdrawal of a received message was recorded (its row is written beside): audited. */
    public void withdrawn(Connection c, InboxEntry e, String detail, Instant now) throws SQLException {
        audit.append(c, event(AuditEventType.WITHDRAWAL_RECEIVED, e, now, peerName).withOutcome(AuditEvent.OK, null, detail));
    }

    /** First hand-over to the agency (pulled, pushed or written as a file): audit DELIVERED. */
    public boolean handedOver(Connection c, InboxEntry e, String via, String actor, Instant now) throws SQLException {
        if (!inbox.markDelivered(c, e.messageId(), via, now)) {
            return false;
        }
        audit.append(c, event(AuditEventType.DELIVERED, e, now, actor));
        return true;
    }

    /**
     * The agency has the message (it acknowledged it, or its push endpoint accepted it):
     * ACKNOWLEDGED, and a signed delivery notice is queued for the peer.
     */
    public boolean acknowledged(Connection c, InboxEntry e, String via, String actor, Instant now) throws SQLException {
        if (!inbox.acknowledge(c, e.header().receiver().agency(), e.messageId(), via, now)) {
            return false;
        }
        audit.append(c, event(AuditEventType.ACKNOWLEDGED, e, now, actor));
        queue.enqueue(c, NewJob.forMessage(WorkKind.DELIVERY_NOTICE, e.messageId(), Lane.of(e.header().priority()), 0, now,
                now.plus(NOTICE_TIME)), now);
        return true;
    }

    /** A push to the agency's endpoint failed; it is tried again. */
    public void pushFailed(Connection c, InboxEntry e, String actor, String failure, Instant now) throws SQLException {
        audit.append(c, event(AuditEventType.PUSH_FAILED, e, now, actor)
                .withOutcome(AuditEvent.RETRY, ErrorCode.PEER_UNREACHABLE, failure));
    }

    /** The signed delivery notice left for the peer gateway. */
    public void noticeSent(Connection c, InboxEntry e, Instant now) throws SQLException {
        audit.append(c, AuditEvent.action(AuditEventType.NOTICE_SENT, now, gatewayName,
                "DELIVERED " + e.header().receiver().agency()).withMessageId(e.messageId()));
    }

    /** How long the peer may be away before a delivery notice becomes a dead letter. */
    static final java.time.Duration NOTICE_TIME = java.time.Duration.ofDays(30);
    /** Push and drop-file hand-overs are tried at least this long (the mailbox keeps the message anyway). */
    static final java.time.Duration MIN_HAND_OVER_TIME = java.time.Duration.ofDays(1);

    private static Instant handOverDeadline(EnvelopeHeader h, Instant now) {
        Instant floor = now.plus(MIN_HAND_OVER_TIME);
        return h.expiresAt().isAfter(floor) ? h.expiresAt() : floor;
    }

    private static AuditEvent event(AuditEventType type, EnvelopeHeader h, Instant at, String actor, InboxStore.NewMessage m) {
        return AuditEvent.of(type, h, at, actor).withDigests(m.payloadSha256(), m.envelopeSha256());
    }

    private static AuditEvent event(AuditEventType type, InboxEntry e, Instant at, String actor) {
        return AuditEvent.of(type, e.header(), at, actor).withDigests(e.payloadSha256(), e.envelopeSha256());
    }

    /** Agencies handed over by the gateway itself, from the configured push endpoints and drop folders. */
    public static Map<String, WorkKind> handOvers(List<String> pushAgencies, List<String> dropAgencies) {
        java.util.HashMap<String, WorkKind> m = new java.util.HashMap<>();
        dropAgencies.forEach(a -> m.put(a, WorkKind.DROP_FILE));
        pushAgencies.forEach(a -> m.put(a, WorkKind.AGENCY_PUSH));
        return m;
    }
}
