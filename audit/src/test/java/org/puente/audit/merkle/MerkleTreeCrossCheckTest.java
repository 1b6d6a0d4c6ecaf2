package org.puente.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares the store-backed MerkleTree with NaiveMerkle for every size 1..70, every index and
 * every pair of sizes, always reading from the one 70-leaf tree.
 */
class MerkleTreeCrossCheckTest {
    private static final int MAX = 70;

    private static final List<byte[]> leafHashes = new ArrayList<>();
    private static final MemoryTree tree = new MemoryTree();

    @BeforeAll
    static void build() throws NoSuchAlgorithmException {
        for (long seq = 1; seq <= MAX; seq++) {
            // Stand-ins for entry hashes: 32 bytes, different for each seq.
            byte[] entryHash = MessageDigest.getInstance("SHA-256").digest(ByteBuffer.allocate(8).putLong(seq).array());
            leafHashes.add(MerkleHash.leafHash(entryHash));
            tree.appendLeaf(entryHash);
        }
    }

    @Test
    void roots_equal_the_naive_mth_for_every_size() {
        assertThat(MerkleTree.root(0, tree)).isEqualTo(MerkleHash.emptyRoot());
        for (int n = 1; n <= MAX; n++) {
            assertThat(MerkleTree.root(n, tree)).as("root of size %d", n).isEqualTo(NaiveMerkle.mth(leafHashes.subList(0, n)));
        }
        assertThat(tree.root()).isEqualTo(NaiveMerkle.mth(leafHashes));
    }

    @Test
    void inclusion_proofs_equal_the_naive_path_and_verify_for_every_index_and_size() {
        int checked = 0;
        for (int n = 1; n <= MAX; n++) {
            byte[] root = NaiveMerkle.mth(leafHashes.subList(0, n));
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = MerkleTree.inclusionProof(m, n, tree);
                assertThat(proof).as("PATH(%d, D[%d])", m, n)
                        .containsExactlyElementsOf(NaiveMerkle.path(m, leafHashes.subList(0, n)));
                MerkleVerifier.verifyInclusion(m, n, leafHashes.get(m), proof, root);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(MAX * (MAX + 1) / 2);
    }

    @Test
    void consistency_proofs_equal_the_naive_proof_and_verify_for_every_pair_of_sizes() {
        int checked = 0;
        for (int n = 1; n <= MAX; n++) {
            byte[] root2 = NaiveMerkle.mth(leafHashes.subList(0, n));
            for (int m = 0; m <= n; m++) {
                List<byte[]> proof = MerkleTree.consistencyProof(m, n, tree);
                List<byte[]> expected = m == n ? List.of() : NaiveMerkle.proof(m, leafHashes.subList(0, n));
                assertThat(proof).as("PROOF(%d, D[%d])", m, n).containsExactlyElementsOf(expected);
                MerkleVerifier.verifyConsistency(m, n, NaiveMerkle.mth(leafHashes.subList(0, m)), root2, proof);
                checked++;
            }
        }
        assertThat(checked).isEqualTo((MAX + 1) * (MAX + 2) / 2 - 1);
    }

    @Test
    void append_yields_exactly_the_nodes_completed_by_each_leaf() {
        MemoryTree growing = new MemoryTree();
        for (int i = 0; i < MAX; i++) {
            List<MerkleNode> made = MerkleTree.append(i, leafHashes.get(i), growing);
            assertThat(made).as("leaf %d", i).containsExactlyElementsOf(completedBy(i + 1));
            growing.appendLeafHash(leafHashes.get(i));
        }
    }

    @Test
    void a_tree_cannot_answer_for_sizes_beyond_its_leaves() {
        assertThatThrownBy(() -> MerkleTree.root(MAX + 1, tree)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MerkleTree.inclusionProof(MAX, MAX, tree)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleTree.consistencyProof(5, 4, tree)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.consistencyProof(5, MAX + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The complete nodes of the tree of size n that the tree of size n - 1 lacks, level 0 first. */
    private static List<MerkleNode> completedBy(int n) {
        List<MerkleNode> nodes = new ArrayList<>();
        for (int level = 0; (1 << level) <= n; level++) {
            int width = 1 << level;
            if (n % width == 0) { // the node ending at leaf n exactly
                int index = n / width - 1;
                nodes.add(new MerkleNode(level, index, NaiveMerkle.mth(leafHashes.subList(index * width, n))));
            }
        }
        return nodes;
    }
}
