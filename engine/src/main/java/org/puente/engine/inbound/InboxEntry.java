package org.puente.engine.inbound;

import java.time.Instant;
import java.util.UUID;
import org.puente.engine.store.PayloadRows;
import org.puente.model.EnvelopeHeader;

/**
 * A message received from the peer gateway, in a receiving agency's mailbox.
 *
 * @param payload          the payload in clear; null once purged ({@link #payload()} then refuses)
 * @param deliveredVia     how it was first handed over: {@code PULL}, {@code PUSH} or {@code DROP} (null: not yet)
 * @param payloadPurgedAt  when the retention purged the payload of this acknowledged message (null: not purged)
 * @param withdrawal       the sending agency cancelled or replaced it (null: not withdrawn)
 */
public record InboxEntry(
        UUID messageId,
        long mailboxSeq,
        EnvelopeHeader header,
        byte[] payload,
        byte[] payloadSha256,
        byte[] envelopeSha256,
        String state,
        Instant receivedAt,
        Instant deliveredAt,
        Instant acknowledgedAt,
        String deliveredVia,
        Instant payloadPurgedAt,
        Withdrawal withdrawal) {

    /**
     * The sending agency withdrew the message after sending it.
     *
     * @param kind        {@code CANCELLED} or {@code REPLACED}
     * @param replacement the message that replaces it ({@code REPLACED} only)
     */
    public record Withdrawal(String kind, String reason, UUID replacement, Instant at) {
    }

    /**
     * The payload bytes exactly as the sending agency submitted them.
     *
     * @throws org.puente.model.error.PuenteException {@code payload_purged} (HTTP 410) once the
     *         retention removed it: the message, its digests and its history stay
     */
    @Override
    public byte[] payload() {
        if (payloadPurgedAt != null) {
            throw PayloadRows.purgedError(messageId, payloadPurgedAt);
        }
        return payload;
    }

    public boolean payloadPurged() {
        return payloadPurgedAt != null;
    }
}
