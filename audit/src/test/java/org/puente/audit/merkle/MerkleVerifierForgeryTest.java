package org.puente.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.audit.merkle.ProofFailure.FIRST_ROOT_MISMATCH;
import static org.puente.audit.merkle.ProofFailure.INDEX_OUT_OF_RANGE;
import static org.puente.audit.merkle.ProofFailure.MALFORMED_HASH;
import static org.puente.audit.merkle.ProofFailure.PROOF_TOO_LONG;
import static org.puente.audit.merkle.ProofFailure.PROOF_TOO_SHORT;
import static org.puente.audit.merkle.ProofFailure.ROOT_MISMATCH;
import static org.puente.audit.merkle.ProofFailure.SIZES_OUT_OF_ORDER;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds valid proofs in a 13-leaf tree, then corrupts one thing at a time and asserts the exact
 * failure. Sizes: 13 (no power of two), 5 and 4 (a power of two, whose root starts the RFC's
 * consistency path).
 */
class MerkleVerifierForgeryTest {
    private static final int SIZE = 13;
    private static final long LEAF = 5;

    private static final MemoryTree tree = new MemoryTree();
    private static byte[] root;
    private static byte[] leafHash;

    @BeforeAll
    static void build() {
        for (int i = 0; i < SIZE; i++) {
            tree.appendLeaf(new byte[] {(byte) i});
        }
        root = tree.root();
        leafHash = tree.node(0, LEAF);
    }

    private static List<byte[]> path() {
        return tree.inclusionProof(LEAF, SIZE);
    }

    private static void assertRefused(ThrowingCallable verification, ProofFailure expected) {
        assertThatThrownBy(verification).isInstanceOfSatisfying(ProofException.class,
                e -> assertThat(e.failure()).as(e.getMessage()).contains(expected));
    }

    /** A forgery that changes a hash is caught when one of the two recomputed roots differs. */
    private static void assertRefusedForARoot(ThrowingCallable verification) {
        assertThatThrownBy(verification).isInstanceOfSatisfying(ProofException.class,
                e -> assertThat(e.failure().orElseThrow()).as(e.getMessage()).isIn(FIRST_ROOT_MISMATCH, ROOT_MISMATCH));
    }

    @Test
    void valid_proofs_hold() {
        MerkleVerifier.verifyInclusion(LEAF, SIZE, leafHash, path(), root);
        MerkleVerifier.verifyConsistency(5, SIZE, tree.root(5), root, tree.consistencyProof(5, SIZE));
        MerkleVerifier.verifyConsistency(4, SIZE, tree.root(4), root, tree.consistencyProof(4, SIZE));
        MerkleVerifier.verifyConsistency(0, SIZE, MerkleHash.emptyRoot(), root, List.of());
        MerkleVerifier.verifyConsistency(SIZE, SIZE, root, root, List.of());
        assertThat(path()).hasSize(4);
    }

    @Test
    void refuses_inclusion_of_another_leaf_index() {
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF - 1, SIZE, leafHash, path(), root), ROOT_MISMATCH);
        assertRefused(() -> MerkleVerifier.verifyInclusion(12, SIZE, leafHash, path(), root), PROOF_TOO_LONG);
    }

    @Test
    void refuses_an_index_outside_the_tree() {
        assertRefused(() -> MerkleVerifier.verifyInclusion(SIZE, SIZE, leafHash, path(), root), INDEX_OUT_OF_RANGE);
        assertRefused(() -> MerkleVerifier.verifyInclusion(-1, SIZE, leafHash, path(), root), INDEX_OUT_OF_RANGE);
        assertRefused(() -> MerkleVerifier.verifyInclusion(0, 0, leafHash, List.of(), MerkleHash.emptyRoot()),
                INDEX_OUT_OF_RANGE);
    }

    @Test
    void refuses_inclusion_in_a_tree_of_another_size() {
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, 8, leafHash, path(), root), PROOF_TOO_LONG);
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, 6, leafHash, path(), root), PROOF_TOO_LONG);
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, 17, leafHash, path(), root), PROOF_TOO_SHORT);
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, 32, leafHash, path(), root), PROOF_TOO_SHORT);
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, 14, leafHash, path(), tree.root(12)), ROOT_MISMATCH);
    }

    /**
     * Not a forgery the verifier can see: for leaf 5, every size from 9 to 16 has the same path
     * shape, so the proof for size 13 also "holds" for a claimed size 14 under the root of size
     * 13. The size is bound to its root by the signed checkpoint the pair is taken from; against
     * the real root of size 14 the claim fails.
     */
    @Test
    void the_tree_size_is_bound_to_the_root_by_the_checkpoint_not_by_the_proof() {
        MerkleVerifier.verifyInclusion(LEAF, 14, leafHash, path(), root);
        MemoryTree bigger = new MemoryTree();
        for (int i = 0; i < 14; i++) {
            bigger.appendLeaf(new byte[] {(byte) i});
        }
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, 14, leafHash, path(), bigger.root()), ROOT_MISMATCH);
        MerkleVerifier.verifyConsistency(5, 12, tree.root(5), root, tree.consistencyProof(5, SIZE));
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, 12, tree.root(5), tree.root(12),
                tree.consistencyProof(5, SIZE)), ROOT_MISMATCH);
    }

    @Test
    void refuses_inclusion_with_any_single_bit_flipped() {
        List<byte[]> path = path();
        for (int element = 0; element < path.size(); element++) {
            for (int bit = 0; bit < MerkleHash.SIZE * 8; bit++) {
                List<byte[]> forged = withFlippedBit(path, element, bit);
                assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, SIZE, leafHash, forged, root), ROOT_MISMATCH);
            }
        }
        for (int bit = 0; bit < MerkleHash.SIZE * 8; bit++) {
            byte[] forgedLeaf = flipped(leafHash, bit);
            byte[] forgedRoot = flipped(root, bit);
            assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, SIZE, forgedLeaf, path, root), ROOT_MISMATCH);
            assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, SIZE, leafHash, path, forgedRoot), ROOT_MISMATCH);
        }
    }

    @Test
    void refuses_a_truncated_an_extended_or_a_reordered_inclusion_path() {
        List<byte[]> path = path();
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, SIZE, leafHash, path.subList(0, 3), root),
                PROOF_TOO_SHORT);
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, SIZE, leafHash, path.subList(1, 4), root),
                PROOF_TOO_SHORT);
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, SIZE, leafHash, plus(path, root), root),
                PROOF_TOO_LONG);
        for (int i = 0; i + 1 < path.size(); i++) {
            List<byte[]> swapped = new ArrayList<>(path);
            Collections.swap(swapped, i, i + 1);
            assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, SIZE, leafHash, swapped, root), ROOT_MISMATCH);
        }
    }

    @Test
    void refuses_inclusion_under_a_wrong_root() {
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, SIZE, leafHash, path(), tree.root(SIZE - 1)),
                ROOT_MISMATCH);
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, SIZE, leafHash, path(), new byte[31]), MALFORMED_HASH);
        assertRefused(() -> MerkleVerifier.verifyInclusion(LEAF, SIZE, null, path(), root), MALFORMED_HASH);
    }

    @Test
    void refuses_consistency_from_a_larger_to_a_smaller_tree() {
        assertRefused(() -> MerkleVerifier.verifyConsistency(SIZE, 5, root, tree.root(5), tree.consistencyProof(5, SIZE)),
                SIZES_OUT_OF_ORDER);
        assertRefused(() -> MerkleVerifier.verifyConsistency(-1, 5, root, root, List.of()), SIZES_OUT_OF_ORDER);
    }

    @Test
    void refuses_consistency_claimed_for_other_sizes() {
        List<byte[]> from4 = tree.consistencyProof(4, SIZE); // 2 hashes
        List<byte[]> from5 = tree.consistencyProof(5, SIZE); // 5 hashes
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, SIZE, tree.root(4), root, from4), PROOF_TOO_SHORT);
        assertRefused(() -> MerkleVerifier.verifyConsistency(6, SIZE, tree.root(5), root, from5), PROOF_TOO_LONG);
        assertRefused(() -> MerkleVerifier.verifyConsistency(4, SIZE, tree.root(5), root, from5), PROOF_TOO_LONG);
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, 8, tree.root(5), root, from5), PROOF_TOO_LONG);
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, 17, tree.root(5), root, from5), PROOF_TOO_SHORT);
        assertRefused(() -> MerkleVerifier.verifyConsistency(7, SIZE, tree.root(5), root, from5), FIRST_ROOT_MISMATCH);
    }

    @Test
    void refuses_consistency_with_any_single_bit_flipped() {
        for (long size1 : new long[] {4, 5}) {
            List<byte[]> proof = tree.consistencyProof(size1, SIZE);
            byte[] root1 = tree.root(size1);
            for (int element = 0; element < proof.size(); element++) {
                for (int bit = 0; bit < MerkleHash.SIZE * 8; bit++) {
                    List<byte[]> forged = withFlippedBit(proof, element, bit);
                    assertRefusedForARoot(() -> MerkleVerifier.verifyConsistency(size1, SIZE, root1, root, forged));
                }
            }
            for (int bit = 0; bit < MerkleHash.SIZE * 8; bit++) {
                byte[] forged1 = flipped(root1, bit);
                byte[] forged2 = flipped(root, bit);
                assertRefusedForARoot(() -> MerkleVerifier.verifyConsistency(size1, SIZE, forged1, root, proof));
                assertRefused(() -> MerkleVerifier.verifyConsistency(size1, SIZE, root1, forged2, proof), ROOT_MISMATCH);
            }
        }
    }

    @Test
    void refuses_a_truncated_an_extended_or_a_reordered_consistency_proof() {
        List<byte[]> proof = tree.consistencyProof(5, SIZE);
        byte[] root1 = tree.root(5);
        assertThat(proof).hasSize(5);
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, SIZE, root1, root, proof.subList(0, 4)), PROOF_TOO_SHORT);
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, SIZE, root1, root, proof.subList(1, 5)), PROOF_TOO_SHORT);
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, SIZE, root1, root, List.of()), PROOF_TOO_SHORT);
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, SIZE, root1, root, plus(proof, root)), PROOF_TOO_LONG);
        for (int i = 0; i + 1 < proof.size(); i++) {
            List<byte[]> swapped = new ArrayList<>(proof);
            Collections.swap(swapped, i, i + 1);
            assertRefusedForARoot(() -> MerkleVerifier.verifyConsistency(5, SIZE, root1, root, swapped));
        }
    }

    @Test
    void refuses_consistency_with_wrong_or_swapped_roots() {
        List<byte[]> proof = tree.consistencyProof(5, SIZE);
        byte[] root1 = tree.root(5);
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, SIZE, tree.root(6), root, proof), FIRST_ROOT_MISMATCH);
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, SIZE, root1, tree.root(12), proof), ROOT_MISMATCH);
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, SIZE, root, root1, proof), FIRST_ROOT_MISMATCH);
        assertRefused(() -> MerkleVerifier.verifyConsistency(SIZE, SIZE, root, root1, List.of()), ROOT_MISMATCH);
        assertRefused(() -> MerkleVerifier.verifyConsistency(SIZE, SIZE, root, root, List.of(root)), PROOF_TOO_LONG);
        assertRefused(() -> MerkleVerifier.verifyConsistency(0, SIZE, root1, root, List.of()), FIRST_ROOT_MISMATCH);
        assertRefused(() -> MerkleVerifier.verifyConsistency(0, SIZE, MerkleHash.emptyRoot(), root, List.of(root)),
                PROOF_TOO_LONG);
        assertRefused(() -> MerkleVerifier.verifyConsistency(5, SIZE, root1, root, plus(proof.subList(0, 4), new byte[33])),
                MALFORMED_HASH);
    }

    @Test
    void the_failure_is_named_in_the_message() {
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(SIZE, SIZE, leafHash, path(), root))
                .hasMessage("index_out_of_range: leaf index 13 is not in a tree of size 13");
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(LEAF, SIZE, leafHash, path().subList(0, 2), root))
                .hasMessage("proof_too_short: the proof has 2 hashes, an inclusion proof of leaf 5 in a tree of size 13 has 4");
        assertThat(new ProofException("free text").failure()).isEmpty();
    }

    private static List<byte[]> withFlippedBit(List<byte[]> proof, int element, int bit) {
        List<byte[]> forged = new ArrayList<>(proof);
        forged.set(element, flipped(proof.get(element), bit));
        return forged;
    }

    private static byte[] flipped(byte[] hash, int bit) {
        byte[] copy = hash.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    private static List<byte[]> plus(List<byte[]> proof, byte[] extra) {
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(extra);
        return longer;
    }
}
