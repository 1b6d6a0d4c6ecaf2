package org.puente.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Produces RFC 9162 (section 2.1) roots, inclusion paths and consistency proofs of the tree whose
 * leaves are audit entries, reading only complete, aligned nodes from a {@link NodeSource}.
 *
 * <p>The source may hold a larger tree than the size asked: every method looks only at nodes
 * that lie entirely inside the first {@code size} leaves, so a proof for a past tree size is made
 * from today's store.
 *
 * <p>Implementation note: the methods follow the RFC's recursive definitions (MTH, PATH, PROOF)
 * literally, with the subtree {@code D[start:start+n]} passed as (start, n), so they can be read
 * next to the RFC. Recursion depth is at most 64. Every subtree the recursion visits starts at a
 * multiple of the next power of two ≥ its size, so its hash is the right-to-left fold of at most
 * 64 complete nodes ({@link #subtreeHash}); nothing but those complete nodes is ever stored.
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    /** MTH of the first {@code size} leaves; the empty root for size 0. */
    public static byte[] root(long size, NodeSource nodes) {
        if (size < 0) {
            throw new IllegalArgumentException("tree size " + size + " is negative");
        }
        return size == 0 ? MerkleHash.emptyRoot() : subtreeHash(0, size, nodes);
    }

    /** RFC 9162 2.1.3.1 PATH(leafIndex, D[0:size]): sibling hashes from the leaf up. */
    public static List<byte[]> inclusionProof(long leafIndex, long size, NodeSource nodes) {
        if (leafIndex < 0 || leafIndex >= size) {
            throw new IllegalArgumentException("leaf index " + leafIndex + " is not in a tree of size " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(leafIndex, 0, size, nodes, path);
        return path;
    }

    /** RFC 9162 2.1.4.1 PROOF(size1, D[0:size2]); empty when size1 is 0 or equals size2. */
    public static List<byte[]> consistencyProof(long size1, long size2, NodeSource nodes) {
        if (size1 < 0 || size1 > size2) {
            throw new IllegalArgumentException("no consistency proof from size " + size1 + " to size " + size2);
        }
        List<byte[]> proof = new ArrayList<>();
        if (size1 > 0 && size1 < size2) {
            subproof(size1, 0, size2, true, nodes, proof);
        }
        return proof;
    }

    /**
     * The nodes that become complete when leaf {@code leafIndex} with hash {@code leafHash} is
     * appended after leaves {@code 0..leafIndex-1}, level 0 first; {@code nodes} must hold the
     * earlier complete nodes (the left siblings read here).
     */
    public static List<MerkleNode> append(long leafIndex, byte[] leafHash, NodeSource nodes) {
        if (leafIndex < 0) {
            throw new IllegalArgumentException("leaf index " + leafIndex + " is negative");
        }
        List<MerkleNode> made = new ArrayList<>();
        int level = 0;
        long index = leafIndex;
        byte[] hash = leafHash.clone();
        made.add(new MerkleNode(level, index, hash));
        // A right child (odd index) completes its parent; the left sibling is already stored.
        while ((index & 1) == 1) {
            hash = MerkleHash.nodeHash(nodes.node(level, index - 1), hash);
            level++;
            index >>= 1;
            made.add(new MerkleNode(level, index, hash));
        }
        return made;
    }

    /**
     * MTH(D[start:start+n]) from complete nodes: decompose the range into maximal aligned
     * power-of-two blocks, left to right, and fold them right to left as MTH nests them.
     */
    static byte[] subtreeHash(long start, long n, NodeSource nodes) {
        List<byte[]> blocks = new ArrayList<>();
        long at = start;
        long end = start + n;
        while (at < end) {
            int aligned = at == 0 ? Long.SIZE : Long.numberOfTrailingZeros(at);
            int fits = Long.SIZE - 1 - Long.numberOfLeadingZeros(end - at);
            int level = Math.min(aligned, fits);
            blocks.add(nodes.node(level, at >>> level));
            at += 1L << level;
        }
        byte[] hash = blocks.get(blocks.size() - 1);
        for (int i = blocks.size() - 2; i >= 0; i--) {
            hash = MerkleHash.nodeHash(blocks.get(i), hash);
        }
        return hash;
    }

    /** PATH(m, D[start:start+n]) appended to {@code out}. */
    private static void path(long m, long start, long n, NodeSource nodes, List<byte[]> out) {
        if (n == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(m, start, k, nodes, out);
            out.add(subtreeHash(start + k, n - k, nodes));
        } else {
            path(m - k, start + k, n - k, nodes, out);
            out.add(subtreeHash(start, k, nodes));
        }
    }

    /** SUBPROOF(m, D[start:start+n], b) appended to {@code out}. */
    private static void subproof(long m, long start, long n, boolean b, NodeSource nodes, List<byte[]> out) {
        if (m == n) {
            if (!b) {
                out.add(subtreeHash(start, n, nodes));
            }
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, start, k, b, nodes, out);
            out.add(subtreeHash(start + k, n - k, nodes));
        } else {
            subproof(m - k, start + k, n - k, false, nodes, out);
            out.add(subtreeHash(start, k, nodes));
        }
    }

    /** The largest power of two strictly smaller than {@code n} (n ≥ 2). */
    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }
}
