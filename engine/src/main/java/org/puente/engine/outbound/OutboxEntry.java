package org.puente.engine.outbound;

import java.time.Instant;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;

/**
 * A message in the outbox, without its payload or envelope: each can be as large as the largest
 * accepted message, and is read only where it is used ({@link OutboxStore#payload} for a re-seal,
 * {@link OutboxStore#findForSending} for a send).
 *
 * @param attempts sends to the peer so far
 */
public record OutboxEntry(
        UUID messageId,
        String submitter,
        EnvelopeHeader header,
        byte[] payloadSha256,
        byte[] envelopeSha256,
        OutboxState state,
        int attempts,
        Instant expiresAt,
        Instant createdAt) {
}
