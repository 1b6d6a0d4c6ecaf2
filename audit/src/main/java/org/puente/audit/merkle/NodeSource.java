package org.puente.audit.merkle;

/**
 * Where {@link MerkleTree} reads the hashes of complete, aligned subtrees: the node at
 * {@code (level, index)} covers leaves {@code [index * 2^level, (index + 1) * 2^level)}; level 0
 * is the leaf hash.
 *
 * <p>Only complete nodes exist: the hash of a subtree still missing leaves on the right edge is
 * computed from the complete nodes below it, never stored, so a stored node never changes.
 */
@FunctionalInterface
public interface NodeSource {
    /**
     * The hash of the complete node at {@code (level, index)}.
     *
     * @throws IllegalStateException if that node is not (yet) held
     */
    byte[] node(int level, long index);
}
