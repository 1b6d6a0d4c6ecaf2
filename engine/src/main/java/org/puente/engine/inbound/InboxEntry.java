package org.puente.engine.inbound;

import java.time.Instant;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;

/**
 * A message received from the peer gateway, in a receiving agency's mailbox.
 *
 * @param deliveredVia how it was first handed over: {@code PULL}, {@code PUSH} or {@code DROP} (null: not yet)
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
        String deliveredVia) {
}
