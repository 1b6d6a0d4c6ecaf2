package org.puente.routes.store;

import java.time.Instant;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;

/**
 * A message in the outbox, as the dispatcher sees it.
 *
 * @param envelope sealed bytes, or {@code null} until the first dispatch seals it
 */
public record OutboxEntry(
        UUID messageId,
        String submitter,
        EnvelopeHeader header,
        byte[] payload,
        byte[] payloadSha256,
        byte[] envelope,
        byte[] envelopeSha256,
        OutboxState state,
        int attempts,
        Instant expiresAt,
        Instant createdAt) {

    public OutboxEntry withEnvelope(byte[] sealed, byte[] sealedSha256) {
        return new OutboxEntry(messageId, submitter, header, payload, payloadSha256, sealed, sealedSha256, state,
                attempts, expiresAt, createdAt);
    }
}
