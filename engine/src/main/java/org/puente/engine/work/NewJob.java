package org.puente.engine.work;

import java.time.Instant;
import java.util.UUID;

/** A job to enqueue in the same unit of work as the change that calls for it. */
public record NewJob(WorkKind kind, String ref, Lane lane, long sizeBytes, Instant runAt, Instant expiresAt) {

    public static NewJob forMessage(WorkKind kind, UUID messageId, Lane lane, long sizeBytes, Instant runAt,
                                    Instant expiresAt) {
        return new NewJob(kind, messageId.toString(), lane, sizeBytes, runAt, expiresAt);
    }
}
