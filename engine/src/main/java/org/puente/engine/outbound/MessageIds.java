package org.puente.engine.outbound;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Identifiers of new messages: UUID version 7 (RFC 9562, section 5.7), the creation time in
 * milliseconds followed by 74 random bits.
 *
 * <p>Why time-ordered: every table of both gateways keys or indexes its rows by message id. With
 * random ids each insert lands on a random leaf of each such index, so every group commit wrote
 * one more page per message and index; ids that grow with time land on the last leaves, which a
 * group shares. The time they reveal is the message's {@code createdAt}, already in its header
 * and in every answer about it; the 74 random bits keep them unguessable.
 */
public final class MessageIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private MessageIds() {
    }

    /** A new identifier for a message created at {@code createdAt}. */
    public static UUID next(Instant createdAt) {
        byte[] r = new byte[10];
        RANDOM.nextBytes(r);
        long millis = createdAt.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
        long randA = ((r[0] & 0xFFL) << 8 | (r[1] & 0xFFL)) & 0x0FFFL;
        long high = millis << 16 | 0x7000L | randA;
        long randB = 0;
        for (int i = 2; i < 10; i++) {
            randB = randB << 8 | (r[i] & 0xFFL);
        }
        long low = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
