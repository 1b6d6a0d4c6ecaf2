package org.puente.engine.outbound;

import java.time.Instant;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;

/**
 * A message in the outbox, without its payload (loaded only when needed: a re-seal).
 *
 * @param envelope the sealed bytes sent (and resent, byte for byte, on every retry)
 * @param attempts sends to the peer so far
 */
public record OutboxEntry(
        UUID messageId,
        String submitter,
        EnvelopeHeader header,
        byte[] payloadSha256,
        byte[] envelope,
        byte[] envelopeSha256,
        OutboxState state,
        int attempts,
        Instant expiresAt,
        Instant createdAt) {
}
