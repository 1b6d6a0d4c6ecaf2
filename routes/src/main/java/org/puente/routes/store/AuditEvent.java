package org.puente.routes.store;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;

/**
 * One audit event: metadata and digests of an exchange step, never payload content.
 *
 * @param actor   who caused it: a certificate subject, or the gateway itself
 * @param outcome {@code OK}, {@code REJECTED}, {@code FAILED} or {@code RETRY}
 */
public record AuditEvent(
        Instant at,
        AuditEventType event,
        UUID messageId,
        String correlationId,
        String messageType,
        String sender,
        String receiver,
        String legalBasis,
        String purpose,
        String sensitivity,
        String payloadSha256,
        String envelopeSha256,
        String actor,
        String outcome,
        String errorCode,
        String detail) {

    public static final String OK = "OK";
    public static final String REJECTED = "REJECTED";
    public static final String FAILED = "FAILED";
    public static final String RETRY = "RETRY";

    private static final HexFormat HEX = HexFormat.of();

    /** An event about a message, with the header's routing and legal metadata. */
    public static AuditEvent of(AuditEventType event, EnvelopeHeader h, Instant at, String actor) {
        return new AuditEvent(at, event, h.messageId(), h.correlationId(), h.messageType(),
                h.sender() == null ? null : h.sender().toString(), h.receiver() == null ? null : h.receiver().toString(),
                h.legalBasis(), h.purpose(), h.sensitivity() == null ? null : h.sensitivity().name(),
                null, null, actor, OK, null, null);
    }

    /** An event that concerns no single message (operator actions, exports). */
    public static AuditEvent action(AuditEventType event, Instant at, String actor, String detail) {
        return new AuditEvent(at, event, null, null, null, null, null, null, null, null, null, null, actor, OK, null, detail);
    }

    public AuditEvent withDigests(byte[] payloadSha256, byte[] envelopeSha256) {
        return new AuditEvent(at, event, messageId, correlationId, messageType, sender, receiver, legalBasis, purpose,
                sensitivity, hex(payloadSha256), hex(envelopeSha256), actor, outcome, errorCode, detail);
    }

    public AuditEvent withOutcome(String newOutcome, ErrorCode code, String newDetail) {
        return new AuditEvent(at, event, messageId, correlationId, messageType, sender, receiver, legalBasis, purpose,
                sensitivity, payloadSha256, envelopeSha256, actor, newOutcome, code == null ? null : code.code(),
                truncate(newDetail));
    }

    public AuditEvent withMessageId(UUID id) {
        return new AuditEvent(at, event, id, correlationId, messageType, sender, receiver, legalBasis, purpose,
                sensitivity, payloadSha256, envelopeSha256, actor, outcome, errorCode, detail);
    }

    private static String hex(byte[] digest) {
        return digest == null ? null : HEX.formatHex(digest);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
