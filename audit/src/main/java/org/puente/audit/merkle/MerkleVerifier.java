package org.puente.audit.merkle;

import static org.puente.audit.merkle.ProofFailure.FIRST_ROOT_MISMATCH;
import static org.puente.audit.merkle.ProofFailure.INDEX_OUT_OF_RANGE;
import static org.puente.audit.merkle.ProofFailure.MALFORMED_HASH;
import static org.puente.audit.merkle.ProofFailure.PROOF_TOO_LONG;
import static org.puente.audit.merkle.ProofFailure.PROOF_TOO_SHORT;
import static org.puente.audit.merkle.ProofFailure.ROOT_MISMATCH;
import static org.puente.audit.merkle.ProofFailure.SIZES_OUT_OF_ORDER;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies RFC 9162 inclusion and consistency proofs from hashes alone, as an auditor does: no
 * store, no tree, only the claimed sizes, roots and proof.
 *
 * <p>Implementation note: before hashing, the proof length is compared with the length the RFC's
 * PATH or PROOF has for the claimed index and sizes, so a truncated or padded proof is refused as
 * such rather than as a root mismatch; the loops are then the RFC's 2.1.3.2 and 2.1.4.2 step by
 * step, including their own "sn is 0" checks. Roots are compared in constant time
 * ({@link MessageDigest#isEqual}). A consistency proof from size 0 is the empty list and holds
 * for any second root (every tree extends the empty one), but the first root must then be the
 * empty root; RFC 9162 leaves that case to the caller.
 *
 * <p>A proof checks the leaf (or first tree) against the given root; it binds the tree size only
 * through the shape of the path, and neighbouring sizes can share a shape (leaf 5 has the same
 * path in every tree of 9 to 16 leaves). Take the size and root together from a signed
 * checkpoint, never from the party that supplies the proof.
 */
public final class MerkleVerifier {

    private MerkleVerifier() {
    }

    /** RFC 9162 2.1.3.2; throws {@link ProofException} naming the first check that fails. */
    public static void verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof,
            byte[] root) {
        requireHash("leaf hash", leafHash);
        requireHash("root", root);
        requireProof(proof);
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new ProofException(INDEX_OUT_OF_RANGE,
                    "leaf index " + leafIndex + " is not in a tree of size " + treeSize);
        }
        requireLength(proof, inclusionLength(leafIndex, treeSize),
                "an inclusion proof of leaf " + leafIndex + " in a tree of size " + treeSize);
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new ProofException(PROOF_TOO_LONG, "the path reached the root before its end");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.nodeHash(p, r);
                // fn is the last node of its level: skip the levels where it has no right sibling.
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = MerkleHash.nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException(PROOF_TOO_SHORT, "the path ended below the root");
        }
        if (!MessageDigest.isEqual(r, root)) {
            throw new ProofException(ROOT_MISMATCH,
                    "the root computed from the leaf and the path differs from the expected root");
        }
    }

    /** RFC 9162 2.1.4.2; throws {@link ProofException} naming the first check that fails. */
    public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        requireHash("first root", root1);
        requireHash("second root", root2);
        requireProof(proof);
        if (size1 < 0 || size1 > size2) {
            throw new ProofException(SIZES_OUT_OF_ORDER,
                    "size " + size1 + " cannot be a prefix of size " + size2);
        }
        if (size1 == 0 || size1 == size2) {
            requireLength(proof, 0, "a consistency proof from size " + size1 + " to size " + size2);
            if (size1 == 0 && !MessageDigest.isEqual(root1, MerkleHash.emptyRoot())) {
                throw new ProofException(FIRST_ROOT_MISMATCH, "the root of a tree of size 0 is the empty root");
            }
            if (size1 == size2 && !MessageDigest.isEqual(root1, root2)) {
                throw new ProofException(ROOT_MISMATCH, "two trees of size " + size1 + " have different roots");
            }
            return;
        }
        requireLength(proof, consistencyLength(size1, size2, true),
                "a consistency proof from size " + size1 + " to size " + size2);
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(size1) == 1) {
            path.add(0, root1); // the first tree is a complete subtree of the second: its root starts the path
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                throw new ProofException(PROOF_TOO_LONG, "the proof reached the second root before its end");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.nodeHash(c, fr);
                sr = MerkleHash.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = MerkleHash.nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException(PROOF_TOO_SHORT, "the proof ended below the second root");
        }
        if (!MessageDigest.isEqual(fr, root1)) {
            throw new ProofException(FIRST_ROOT_MISMATCH,
                    "the root of size " + size1 + " computed from the proof differs from the first root");
        }
        if (!MessageDigest.isEqual(sr, root2)) {
            throw new ProofException(ROOT_MISMATCH,
                    "the root of size " + size2 + " computed from the proof differs from the second root");
        }
    }

    /** Length of PATH(m, D[n]), counted along the RFC's recursion. */
    private static int inclusionLength(long m, long n) {
        int length = 0;
        while (n > 1) {
            long k = MerkleTree.largestPowerOfTwoBelow(n);
            if (m < k) {
                n = k;
            } else {
                m -= k;
                n -= k;
            }
            length++;
        }
        return length;
    }

    /** Length of SUBPROOF(m, D[n], b), counted along the RFC's recursion. */
    private static int consistencyLength(long m, long n, boolean b) {
        int length = 0;
        while (m != n) {
            long k = MerkleTree.largestPowerOfTwoBelow(n);
            if (m <= k) {
                n = k;
            } else {
                m -= k;
                n -= k;
                b = false;
            }
            length++;
        }
        return b ? length : length + 1;
    }

    private static void requireLength(List<byte[]> proof, int expected, String what) {
        if (proof.size() < expected) {
            throw new ProofException(PROOF_TOO_SHORT,
                    "the proof has " + proof.size() + " hashes, " + what + " has " + expected);
        }
        if (proof.size() > expected) {
            throw new ProofException(PROOF_TOO_LONG,
                    "the proof has " + proof.size() + " hashes, " + what + " has " + expected);
        }
    }

    private static void requireProof(List<byte[]> proof) {
        if (proof == null) {
            throw new ProofException(MALFORMED_HASH, "the proof is absent");
        }
        for (int i = 0; i < proof.size(); i++) {
            requireHash("proof hash " + i, proof.get(i));
        }
    }

    private static void requireHash(String what, byte[] hash) {
        if (hash == null || hash.length != MerkleHash.SIZE) {
            throw new ProofException(MALFORMED_HASH, "the " + what + " is "
                    + (hash == null ? "absent" : hash.length + " bytes") + ", not " + MerkleHash.SIZE + " bytes");
        }
    }
}
