package org.puente.engine.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Encrypts a payload for the one row that stores it, and decrypts it from there: what keeps the
 * payload columns of the outbox and the inbox unreadable to whoever reads the database, its files
 * or its backups without the gateway's keystore.
 *
 * <p>Stored form (version 1), 33 bytes more than the payload:
 * <pre>
 *   offset  0  format   1 byte   0x01
 *           1  key id   4 bytes  big-endian: the storage key (table storage_key) it is encrypted under
 *           5  nonce   12 bytes  random
 *          17  ciphertext (as long as the payload) followed by the 16-byte GCM tag
 * </pre>
 *
 * <p>Implementation note: AES-256-GCM through the JDK (SunJCE, CPU intrinsics; STACK.md), under a
 * key derived for the row: {@code HKDF-Expand(storage key, "puente payload key v1" 0x00 column 0x00
 * message id (16 bytes) key id, 32)} (RFC 5869; the expand step alone, as its section 3.3 allows
 * for a key that is already uniformly random), with HMAC-SHA-256. The additional authenticated
 * data is the format byte, the key id, the column name and the message id. So the row's identity
 * is bound twice: a ciphertext copied onto another message's row, or from the outbox into the
 * inbox, fails the tag; and because every row has its own key, the random 96-bit nonces never
 * approach the 2^32 encryptions per key that NIST SP 800-38D allows with random nonces, however many
 * payloads one storage key protects over the years.
 */
public final class PayloadCipher {
    /** Format byte of version 1. */
    public static final byte FORMAT_V1 = 0x01;
    /** Bytes a stored payload takes beyond the payload itself. */
    public static final int OVERHEAD_BYTES = 1 + Integer.BYTES + AlgorithmProfile.GCM_NONCE_BYTES
            + AlgorithmProfile.GCM_TAG_BYTES;
    /** Length of a storage key: AES-256. */
    public static final int KEY_BYTES = 32;

    static final String KEY_ALGORITHM = "AES";
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final String KDF_MAC = "HmacSHA256";
    private static final byte[] KDF_LABEL = "puente payload key v1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = 1 + Integer.BYTES + AlgorithmProfile.GCM_NONCE_BYTES;

    /** The column a payload is stored in: part of its key and of its authenticated data. */
    public enum Column {
        OUTBOX("outbox"),
        INBOX("inbox");

        private final String table;
        private final byte[] label;

        Column(String table) {
            this.table = table;
            this.label = (table + ".payload").getBytes(StandardCharsets.US_ASCII);
        }

        /** The table whose {@code payload} column this is. */
        public String table() {
            return table;
        }

        @Override
        public String toString() {
            return table + ".payload";
        }
    }

    private final int currentKeyId;
    private final Map<Integer, SecretKeySpec> keys;
    private final Provider provider;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param currentKeyId the storage key new payloads are encrypted under
     * @param keys         every storage key of the database by id (copied; the caller wipes its arrays)
     */
    public PayloadCipher(int currentKeyId, Map<Integer, byte[]> keys) {
        Map<Integer, SecretKeySpec> copy = new HashMap<>();
        keys.forEach((id, key) -> {
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("storage key " + id + " is not " + KEY_BYTES + " bytes");
            }
            copy.put(id, new SecretKeySpec(key, KDF_MAC));
        });
        if (!copy.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("no storage key " + currentKeyId);
        }
        this.currentKeyId = currentKeyId;
        this.keys = Map.copyOf(copy);
        this.provider = CryptoProviders.RECOMMENDED.contentCipher();
    }

    /** The storage key new payloads are encrypted under. */
    public int currentKeyId() {
        return currentKeyId;
    }

    /** The stored form of {@code payload} for the row of {@code messageId} in {@code column}. */
    public byte[] seal(Column column, UUID messageId, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        byte[] out = new byte[OVERHEAD_BYTES + payload.length];
        ByteBuffer header = ByteBuffer.wrap(out, 0, HEADER_BYTES);
        header.put(FORMAT_V1).putInt(currentKeyId);
        byte[] nonce = new byte[AlgorithmProfile.GCM_NONCE_BYTES];
        random.nextBytes(nonce);
        header.put(nonce);
        try {
            Cipher gcm = cipher(Cipher.ENCRYPT_MODE, column, messageId, currentKeyId, nonce);
            gcm.updateAAD(aad(column, messageId, currentKeyId));
            int n = gcm.doFinal(payload, 0, payload.length, out, HEADER_BYTES);
            if (n != payload.length + AlgorithmProfile.GCM_TAG_BYTES) {
                throw new IllegalStateException("AES-GCM wrote " + n + " bytes");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "encrypting the payload of message " + messageId
                    + " failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The payload of the row of {@code messageId} in {@code column}, from its stored form.
     *
     * @throws PuenteException {@code internal_error} naming the row when the stored bytes are not a
     *                         payload this gateway encrypted for that row: changed, copied from
     *                         another row, or under a storage key the database no longer holds
     */
    public byte[] open(Column column, UUID messageId, byte[] stored) {
        if (stored == null || stored.length < OVERHEAD_BYTES || stored[0] != FORMAT_V1) {
            throw unreadable(column, messageId, "it is not in a format this gateway reads", null);
        }
        ByteBuffer header = ByteBuffer.wrap(stored, 1, HEADER_BYTES - 1);
        int keyId = header.getInt();
        if (!keys.containsKey(keyId)) {
            throw unreadable(column, messageId, "it is encrypted under storage key " + keyId
                    + ", which table storage_key does not hold", null);
        }
        byte[] nonce = new byte[AlgorithmProfile.GCM_NONCE_BYTES];
        header.get(nonce);
        try {
            Cipher gcm = cipher(Cipher.DECRYPT_MODE, column, messageId, keyId, nonce);
            gcm.updateAAD(aad(column, messageId, keyId));
            return gcm.doFinal(stored, HEADER_BYTES, stored.length - HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw unreadable(column, messageId, "it does not authenticate (changed, copied from another row,"
                    + " or encrypted under another key)", e);
        } catch (GeneralSecurityException e) {
            throw unreadable(column, messageId, "AES-GCM failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private Cipher cipher(int mode, Column column, UUID messageId, int keyId, byte[] nonce)
            throws GeneralSecurityException {
        byte[] rowKey = rowKey(column, messageId, keyId);
        try {
            Cipher gcm = Cipher.getInstance(CIPHER, provider);
            gcm.init(mode, new SecretKeySpec(rowKey, KEY_ALGORITHM),
                    new GCMParameterSpec(AlgorithmProfile.GCM_TAG_BYTES * 8, nonce));
            return gcm;
        } finally {
            java.util.Arrays.fill(rowKey, (byte) 0);
        }
    }

    /** HKDF-Expand (RFC 5869) to 32 bytes: one HMAC-SHA-256 block, T(1) = HMAC(PRK, info || 0x01). */
    private byte[] rowKey(Column column, UUID messageId, int keyId) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(KDF_MAC, provider);
        mac.init(keys.get(keyId));
        mac.update(KDF_LABEL);
        mac.update((byte) 0);
        mac.update(column.label);
        mac.update((byte) 0);
        mac.update(uuid(messageId));
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(keyId).array());
        mac.update((byte) 1);
        return mac.doFinal();
    }

    private static byte[] aad(Column column, UUID messageId, int keyId) {
        return ByteBuffer.allocate(1 + Integer.BYTES + column.label.length + 1 + 16)
                .put(FORMAT_V1).putInt(keyId).put(column.label).put((byte) 0).put(uuid(messageId)).array();
    }

    private static byte[] uuid(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    private static PuenteException unreadable(Column column, UUID messageId, String why, Throwable cause) {
        String detail = "the stored payload of message " + messageId + " (" + column + ") cannot be read: " + why;
        return cause == null ? new PuenteException(ErrorCode.INTERNAL_ERROR, detail)
                : new PuenteException(ErrorCode.INTERNAL_ERROR, cause, detail);
    }
}
