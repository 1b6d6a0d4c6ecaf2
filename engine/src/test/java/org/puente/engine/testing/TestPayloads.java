package org.puente.engine.testing;

import java.security.SecureRandom;
import java.util.Map;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.store.PayloadCipher;

/**
 * The payload cipher of store tests: one random storage key per test JVM (what the gateway opens
 * from table storage_key at start-up, without the keystore), and stores that use it.
 */
public final class TestPayloads {
    /** Encrypts every payload the store tests write, in this JVM. */
    public static final PayloadCipher CIPHER = new PayloadCipher(1, Map.of(1, randomKey()));

    private TestPayloads() {
    }

    public static OutboxStore outbox() {
        return new OutboxStore(CIPHER);
    }

    public static InboxStore inbox() {
        return new InboxStore(CIPHER);
    }

    /** 32 random bytes: a storage key. */
    public static byte[] randomKey() {
        byte[] key = new byte[PayloadCipher.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
