package org.puente.audit;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;

/**
 * One audit event: metadata and digests of an exchange step, never payload content.
 *
 * @param subject which message it is about (null for operator and auditor actions)
 * @param digests what was exchanged, as SHA-256 digests (either may be null)
 * @param actor   who caused it: a certificate subject, or the gateway itself
 * @param result  how it ended
 */
public record AuditEvent(Instant at, AuditEventType event, Subject subject, Digests digests, String actor, Result result) {

    public static final String OK = "OK";
    public static final String REJECTED = "REJECTED";
    public static final String FAILED = "FAILED";
    public static final String RETRY = "RETRY";

    private static final HexFormat HEX = HexFormat.of();

    /** The message an event is about: the header's routing and legal metadata. */
    public record Subject(UUID messageId, String correlationId, String messageType, String sender, String receiver,
                         String legalBasis, String purpose, String sensitivity) {

        public static Subject of(EnvelopeHeader h) {
            return new Subject(h.messageId(), h.correlationId(), h.messageType(),
                    h.sender() == null ? null : h.sender().toString(), h.receiver() == null ? null : h.receiver().toString(),
                    h.legalBasis(), h.purpose(), h.sensitivity() == null ? null : h.sensitivity().name());
        }
    }

    /** Lower-case hex SHA-256 digests of the payload and of the envelope. */
    public record Digests(String payloadSha256, String envelopeSha256) {
        public static final Digests NONE = new Digests(null, null);

        public static Digests of(byte[] payloadSha256, byte[] envelopeSha256) {
            return new Digests(hex(payloadSha256), hex(envelopeSha256));
        }
    }

    /** {@code OK}, {@code REJECTED}, {@code FAILED} or {@code RETRY}, with the error code and a detail. */
    public record Result(String outcome, String errorCode, String detail) {
        public static final Result SUCCESS = new Result(OK, null, null);
    }

    public AuditEvent {
        subject = subject == null ? new Subject(null, null, null, null, null, null, null, null) : subject;
        digests = digests == null ? Digests.NONE : digests;
        result = result == null ? Result.SUCCESS : result;
    }

    /**
     * An event read back from its flat, stored form (a row of {@code audit_event}, a line of an
     * export), field by field in the order of the canonical encoding.
     */
    public static AuditEvent decoded(Instant at, AuditEventType event, UUID messageId, String correlationId,
                                     String messageType, String sender, String receiver, String legalBasis, String purpose,
                                     String sensitivity, String payloadSha256, String envelopeSha256, String actor,
                                     String outcome, String errorCode, String detail) {
        return new AuditEvent(at, event, new Subject(messageId, correlationId, messageType, sender, receiver, legalBasis,
                purpose, sensitivity), new Digests(payloadSha256, envelopeSha256), actor,
                new Result(outcome, errorCode, detail));
    }

    /** An event about a message, with the header's routing and legal metadata. */
    public static AuditEvent of(AuditEventType event, EnvelopeHeader h, Instant at, String actor) {
        return new AuditEvent(at, event, Subject.of(h), Digests.NONE, actor, Result.SUCCESS);
    }

    /** An event that concerns no single message (operator actions, exports). */
    public static AuditEvent action(AuditEventType event, Instant at, String actor, String detail) {
        return new AuditEvent(at, event, null, Digests.NONE, actor, new Result(OK, null, detail));
    }

    public AuditEvent withDigests(byte[] payloadSha256, byte[] envelopeSha256) {
        return new AuditEvent(at, event, subject, Digests.of(payloadSha256, envelopeSha256), actor, result);
    }

    public AuditEvent withOutcome(String newOutcome, ErrorCode code, String newDetail) {
        return new AuditEvent(at, event, subject, digests, actor,
                new Result(newOutcome, code == null ? null : code.code(), truncate(newDetail)));
    }

    public AuditEvent withSubject(Subject s) {
        return new AuditEvent(at, event, s, digests, actor, result);
    }

    public AuditEvent withMessageId(UUID id) {
        Subject s = subject;
        return withSubject(new Subject(id, s.correlationId(), s.messageType(), s.sender(), s.receiver(), s.legalBasis(),
                s.purpose(), s.sensitivity()));
    }

    public AuditEvent at(Instant when) {
        return new AuditEvent(when, event, subject, digests, actor, result);
    }

    // Flat reads, in the order of the canonical encoding (docs/audit.md).
    public UUID messageId() {
        return subject.messageId();
    }

    public String correlationId() {
        return subject.correlationId();
    }

    public String messageType() {
        return subject.messageType();
    }

    public String sender() {
        return subject.sender();
    }

    public String receiver() {
        return subject.receiver();
    }

    public String legalBasis() {
        return subject.legalBasis();
    }

    public String purpose() {
        return subject.purpose();
    }

    public String sensitivity() {
        return subject.sensitivity();
    }

    public String payloadSha256() {
        return digests.payloadSha256();
    }

    public String envelopeSha256() {
        return digests.envelopeSha256();
    }

    public String outcome() {
        return result.outcome();
    }

    public String errorCode() {
        return result.errorCode();
    }

    public String detail() {
        return result.detail();
    }

    private static String hex(byte[] digest) {
        return digest == null ? null : HEX.formatHex(digest);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
