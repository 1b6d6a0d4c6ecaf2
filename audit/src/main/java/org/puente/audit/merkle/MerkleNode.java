package org.puente.audit.merkle;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A complete node to store: the subtree of leaves {@code [index * 2^level, (index + 1) * 2^level)}
 * and its hash.
 *
 * <p>Equality compares the hash bytes, not the array reference, so nodes can be compared in
 * tests and sets.
 */
public record MerkleNode(int level, long index, byte[] hash) {

    @Override
    public boolean equals(Object o) {
        return o instanceof MerkleNode n && n.level == level && n.index == index && Arrays.equals(n.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * level + Long.hashCode(index)) + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "MerkleNode[level=" + level + ", index=" + index + ", hash=" + HexFormat.of().formatHex(hash) + "]";
    }
}
