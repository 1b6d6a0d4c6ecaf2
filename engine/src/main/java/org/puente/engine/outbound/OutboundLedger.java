package org.puente.engine.outbound;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.answer.AnswerRows;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.envelope.SealedEnvelope;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;

/**
 * Every change of an outbound message's life, written in one place: the outbox state, the
 * status history its agency polls and the audit events, in the caller's unit of work. A change
 * happens once: it applies only while the message is still in the state it leaves, so a late or
 * repeated outcome (another instance's, a duplicate notice) writes nothing.
 */
public final class OutboundLedger {
    private final OutboxStore outbox;
    private final StatusStore statuses;
    private final AuditLog audit;
    private final String gatewayName;
    private final String peerName;

    public OutboundLedger(OutboxStore outbox, StatusStore statuses, AuditLog audit, String gatewayName, String peerName) {
        this.outbox = outbox;
        this.statuses = statuses;
        this.audit = audit;
        this.gatewayName = gatewayName;
        this.peerName = peerName;
    }

    /** A status row of the agency's history. */
    private record Status(MessageStatus status, Instant at, String errorCode, String detail) {
        static Status ok(MessageStatus s, Instant at) {
            return new Status(s, at, null, null);
        }
    }

    /**
     * One transition: the message moves from {@code from} to {@code to} (a new message when
     * {@code from} is null), setting {@code assignments}, and its history and audit log grow by
     * {@code statuses} and {@code events}.
     */
    private record Transition(OutboxState from, OutboxState to, boolean attempted, List<String> assignments,
                              List<Object> values, List<Status> statuses, List<AuditEvent> events) {
    }

    private boolean apply(Connection c, EnvelopeHeader h, Transition t, Instant now) throws SQLException {
        if (t.from() != null && !outbox.move(c, h.messageId(), t.from(), t.to(), t.attempted(), t.assignments(), t.values(), now)) {
            return false;
        }
        for (Status s : t.statuses()) {
            statuses.append(c, h.messageId(), s.status(), s.at(), s.errorCode(), s.detail());
        }
        for (AuditEvent e : t.events()) {
            audit.append(c, e);
        }
        return true;
    }

    /** Accepted from an agency (already sealed): stored PENDING, status ACCEPTED, audit SUBMITTED and SEALED. */
    public void accepted(Connection c, OutboxStore.NewMessage m, String submitterSubject, Instant now) throws SQLException {
        outbox.insert(c, m, now);
        EnvelopeHeader h = m.header();
        apply(c, h, new Transition(null, OutboxState.PENDING, false, List.of(), List.of(),
                List.of(Status.ok(MessageStatus.ACCEPTED, now)),
                List.of(AuditEvent.of(AuditEventType.SUBMITTED, h, now, submitterSubject).withDigests(m.payloadSha256(), null),
                        AuditEvent.of(AuditEventType.SEALED, h, now, gatewayName)
                                .withDigests(m.payloadSha256(), m.envelopeSha256()))), now);
    }

    /** The peer's valid signed receipt: RECEIPTED, with statuses SENT and RECEIPTED. */
    public boolean receipted(Connection c, OutboxEntry e, byte[] receipt, Instant sentAt, Instant receiptAt, Instant now)
            throws SQLException {
        EnvelopeHeader h = e.header();
        return apply(c, h, new Transition(OutboxState.PENDING, OutboxState.RECEIPTED, true,
                List.of("receipt = ?", "last_error_code = NULL", "last_error_detail = NULL"), List.of(receipt),
                List.of(Status.ok(MessageStatus.SENT, sentAt), Status.ok(MessageStatus.RECEIPTED, receiptAt)),
                List.of(event(AuditEventType.SENT, e, sentAt, gatewayName),
                        event(AuditEventType.RECEIPTED, e, now, peerName))), now);
    }

    /** The peer's signed refusal (final): FAILED with its code; the signed answer is kept. */
    public boolean refused(Connection c, OutboxEntry e, byte[] answer, ErrorCode code, String detail, Instant now)
            throws SQLException {
        return failed(c, e, answer, code, detail, true, now);
    }

    /** The message cannot be sent at all (it cannot be sealed again for a re-drive): FAILED. */
    public boolean unsendable(Connection c, OutboxEntry e, ErrorCode code, String detail, Instant now) throws SQLException {
        return failed(c, e, null, code, detail, false, now);
    }

    private boolean failed(Connection c, OutboxEntry e, byte[] answer, ErrorCode code, String detail, boolean attempted,
                           Instant now) throws SQLException {
        List<String> set = new ArrayList<>(List.of("last_error_code = ?", "last_error_detail = ?"));
        List<Object> values = new ArrayList<>(List.of(code.code(), truncate(detail)));
        if (answer != null) {
            set.add("receipt = ?");
            values.add(answer);
        }
        return apply(c, e.header(), new Transition(OutboxState.PENDING, OutboxState.FAILED, attempted, set, values,
                List.of(new Status(MessageStatus.FAILED, now, code.code(), truncate(detail))),
                List.of(event(AuditEventType.SEND_FAILED, e, now, gatewayName)
                        .withOutcome(AuditEvent.REJECTED, code, detail))), now);
    }

    /** A failure of the road; the message stays PENDING and its job is tried again. */
    public boolean retried(Connection c, OutboxEntry e, ErrorCode code, String detail, Instant now) throws SQLException {
        return apply(c, e.header(), new Transition(OutboxState.PENDING, OutboxState.PENDING, true,
                List.of("last_error_code = ?", "last_error_detail = ?"), List.of(code.code(), truncate(detail)), List.of(),
                List.of(event(AuditEventType.SEND_FAILED, e, now, gatewayName).withOutcome(AuditEvent.RETRY, code, detail))),
                now);
    }

    /** Its time-to-live ran out before a receipt: EXPIRED, a dead letter. */
    public boolean expired(Connection c, OutboxEntry e, String detail, Instant now) throws SQLException {
        String code = ErrorCode.MESSAGE_EXPIRED.code();
        return apply(c, e.header(), new Transition(OutboxState.PENDING, OutboxState.EXPIRED, false,
                List.of("last_error_code = ?", "last_error_detail = ?"), List.of(code, detail),
                List.of(new Status(MessageStatus.EXPIRED, now, code, detail)),
                List.of(event(AuditEventType.EXPIRED, e, now, gatewayName)
                        .withOutcome(AuditEvent.FAILED, ErrorCode.MESSAGE_EXPIRED, detail))), now);
    }

    /** The peer's signed delivery notice: DELIVERED, the notice kept as the proof of delivery. */
    public boolean delivered(Connection c, OutboxEntry e, byte[] signedNotice, DeliveryNotice n, Instant now)
            throws SQLException {
        // From RECEIPTED; or from EXPIRED, when the receipt was lost and the message expired here
        // while the peer had it all along: its signed notice is the proof, and the truth to record.
        OutboxState from = e.state() == OutboxState.EXPIRED ? OutboxState.EXPIRED : OutboxState.RECEIPTED;
        return apply(c, e.header(), new Transition(from, OutboxState.DELIVERED, false,
                List.of("delivery_notice = ?"), List.of(signedNotice),
                List.of(new Status(MessageStatus.DELIVERED, n.at(), null, n.agency())),
                List.of(event(AuditEventType.NOTICE_RECEIVED, e, now, peerName)
                        .withOutcome(AuditEvent.OK, null, n.status() + " to " + n.agency() + " at " + n.at()))), now);
    }

    /**
     * The peer's signed notice of its agency's business answer: stored with the notice as proof,
     * status ANSWERED (its summary as detail), audit ANSWER_RECEIVED. The outbox state does not
     * change; a second answer for the message writes nothing.
     */
    public boolean answered(Connection c, OutboxEntry e, byte[] signedNotice, DeliveryNotice n, Instant now)
            throws SQLException {
        if (!AnswerRows.insert(c, e.messageId(), AnswerRows.RECEIVED, n.agency(), n.answer(), n.at(), peerName, signedNotice)) {
            return false;
        }
        statuses.append(c, e.messageId(), MessageStatus.ANSWERED, n.at(), null, n.answer().summary());
        audit.append(c, event(AuditEventType.ANSWER_RECEIVED, e, now, peerName)
                .withOutcome(AuditEvent.OK, null, n.agency() + " " + n.answer().summary()));
        return true;
    }

    /**
     * The sending agency cancelled or replaced the message (its withdrawal row is written beside):
     * a status step with the reason, and the audit event. The message's state does not change: what
     * was delivered stays delivered.
     */
    public void withdrawn(Connection c, OutboxEntry e, DeliveryNotice.Withdrawal w, String by, Instant now)
            throws SQLException {
        boolean replaced = w.replacement() != null;
        String detail = (replaced ? "replaced by " + w.replacement() + ": " : "cancelled: ") + w.reason();
        statuses.append(c, e.messageId(), replaced ? MessageStatus.REPLACED : MessageStatus.CANCELLED, now, null, detail);
        audit.append(c, event(AuditEventType.MESSAGE_WITHDRAWN, e, now, by).withOutcome(AuditEvent.OK, null, detail));
    }

    /**
     * An operator re-drives a dead letter: PENDING again under a renewed header (new creation
     * time, so a new expiry) and a new envelope sealed for it.
     */
    public boolean redriven(Connection c, OutboxEntry e, EnvelopeHeader renewed, SealedEnvelope sealed, String operator,
                            Instant now) throws SQLException {
        String detail = "re-driven by an operator; it had expired at " + e.header().expiresAt() + " after " + e.attempts()
                + " attempts; new expiry " + renewed.expiresAt();
        return apply(c, renewed, new Transition(OutboxState.EXPIRED, OutboxState.PENDING, false,
                List.of("header_json = ?", "envelope = ?", "envelope_sha256 = ?", "receipt = NULL", "expires_at = ?",
                        "created_at = ?", "last_error_code = NULL", "last_error_detail = NULL"),
                List.of(OutboxStore.json(renewed), sealed.bytes(), sealed.sha256(), renewed.expiresAt(), renewed.createdAt()),
                List.of(),
                List.of(AuditEvent.of(AuditEventType.MESSAGE_REDRIVEN, renewed, now, operator)
                                .withDigests(e.payloadSha256(), null).withOutcome(AuditEvent.OK, null, detail),
                        AuditEvent.of(AuditEventType.SEALED, renewed, now, gatewayName)
                                .withDigests(e.payloadSha256(), sealed.sha256()))), now);
    }

    private static AuditEvent event(AuditEventType type, OutboxEntry e, Instant at, String actor) {
        return AuditEvent.of(type, e.header(), at, actor).withDigests(e.payloadSha256(), e.envelopeSha256());
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
