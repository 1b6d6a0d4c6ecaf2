package org.puente.engine.work;

import java.time.Instant;
import java.util.UUID;

/**
 * One claimed job.
 *
 * @param attempts  how many earlier attempts failed
 * @param sizeBytes what it carries (claims are bounded in bytes as well as count)
 */
public record Job(long id, WorkKind kind, String ref, Lane lane, int attempts, long sizeBytes, Instant expiresAt,
                  Instant createdAt) {

    /** The message id a message job is about. */
    public UUID messageId() {
        return UUID.fromString(ref);
    }
}
