package org.puente.routes.store;

import java.time.Instant;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;

/** A message received from the peer gateway, in a receiving agency's mailbox. */
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
        int pushAttempts) {
}
