package org.puente.audit.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The three hashes of an RFC 9162 (Certificate Transparency v2, section 2.1) Merkle tree with
 * SHA-256: leaf, interior node and empty tree.
 *
 * <p>Implementation note: the one-byte prefixes (0x00 for a leaf, 0x01 for an interior node) are
 * the RFC's domain separation: without them an interior node's 64 input bytes could be presented
 * as a leaf, and a proof for a leaf that does not exist could be forged (second preimage).
 */
public final class MerkleHash {
    /** Length of every hash in the tree: SHA-256. */
    public static final int SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private MerkleHash() {
    }

    /** {@code SHA-256(0x00 || leafInput)}. */
    public static byte[] leafHash(byte[] leafInput) {
        MessageDigest d = sha256();
        d.update(LEAF_PREFIX);
        d.update(leafInput);
        return d.digest();
    }

    /** {@code SHA-256(0x01 || left || right)}. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update(NODE_PREFIX);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** The root of the tree with no leaves: SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
