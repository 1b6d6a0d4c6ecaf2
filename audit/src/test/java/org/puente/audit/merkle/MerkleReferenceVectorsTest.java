package org.puente.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.puente.model.CanonicalJson;

/**
 * The RFC 6962 reference tree of 8 leaves (from transparency-dev/merkle testonly) and that
 * project's inclusion and consistency probes, happy paths and forgeries, kept in test resources.
 * Probes whose hashes are not 32 bytes ("don't care" placeholders) must be refused as malformed
 * here, even the one the reference accepts (equal sizes, equal 12-byte roots).
 */
class MerkleReferenceVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static final String[] LEAF_INPUTS = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};

    /** Roots of the trees of sizes 0..8 built from LEAF_INPUTS. */
    private static final String[] ROOTS = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    /** Every complete node of the 8-leaf tree, level by level. */
    private static final String[][] NODES = {
        {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"},
        {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"},
        {"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
        {"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"}};

    private static final MemoryTree tree = new MemoryTree();
    private static final List<MemoryTree> prefixes = new ArrayList<>();

    @BeforeAll
    static void build() {
        for (String input : LEAF_INPUTS) {
            MemoryTree prefix = new MemoryTree();
            tree.appendLeaf(HEX.parseHex(input));
            for (int i = 0; i < tree.size(); i++) {
                prefix.appendLeaf(HEX.parseHex(LEAF_INPUTS[i]));
            }
            prefixes.add(prefix);
        }
    }

    @Test
    void roots_of_sizes_0_to_8_are_the_reference_roots() {
        assertThat(HEX.formatHex(MerkleHash.emptyRoot())).isEqualTo(ROOTS[0]);
        assertThat(HEX.formatHex(new MemoryTree().root())).isEqualTo(ROOTS[0]);
        for (int n = 0; n <= 8; n++) {
            assertThat(HEX.formatHex(tree.root(n))).as("root of size %d from the 8-leaf tree", n).isEqualTo(ROOTS[n]);
        }
        for (int n = 1; n <= 8; n++) {
            assertThat(HEX.formatHex(prefixes.get(n - 1).root())).as("root of a tree of %d leaves", n).isEqualTo(ROOTS[n]);
        }
    }

    @Test
    void complete_nodes_are_the_reference_nodes() {
        for (int level = 0; level < NODES.length; level++) {
            for (int index = 0; index < NODES[level].length; index++) {
                assertThat(HEX.formatHex(tree.node(level, index))).as("node (%d, %d)", level, index)
                        .isEqualTo(NODES[level][index]);
            }
        }
        assertThatThrownBy(() -> prefixes.get(6).node(1, 3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inclusion_probes_hold_or_fail_as_the_reference_says_and_happy_paths_are_produced_identically()
            throws IOException {
        int happy = 0;
        for (JsonNode p : probes("inclusion")) {
            long index = Long.parseUnsignedLong(p.get("leafIdx").asText());
            long size = Long.parseUnsignedLong(p.get("treeSize").asText());
            byte[] leafHash = b64(p.get("leafHash"));
            byte[] root = b64(p.get("root"));
            List<byte[]> proof = b64List(p.get("proof"));
            String desc = p.get("file").asText();
            if (!allHashes(proof, leafHash, root)) {
                // Deliberately stricter than the reference: only 32-byte SHA-256 hashes are read.
                assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(index, size, leafHash, proof, root)).as(desc)
                        .isInstanceOfSatisfying(ProofException.class,
                                e -> assertThat(e.failure()).contains(ProofFailure.MALFORMED_HASH));
                continue;
            }
            if (p.get("wantErr").asBoolean()) {
                assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(index, size, leafHash, proof, root))
                        .as(desc).isInstanceOf(ProofException.class);
                continue;
            }
            assertThatCode(() -> MerkleVerifier.verifyInclusion(index, size, leafHash, proof, root)).as(desc)
                    .doesNotThrowAnyException();
            if (size <= 8 && HEX.formatHex(root).equals(ROOTS[(int) size])) {
                assertThat(tree.inclusionProof(index, size)).as(desc).containsExactlyElementsOf(proof);
                happy++;
            }
        }
        assertThat(happy).as("happy paths produced from the reference tree").isGreaterThanOrEqualTo(4);
    }

    @Test
    void consistency_probes_hold_or_fail_as_the_reference_says_and_happy_paths_are_produced_identically()
            throws IOException {
        int happy = 0;
        for (JsonNode p : probes("consistency")) {
            long size1 = p.get("size1").asLong();
            long size2 = p.get("size2").asLong();
            byte[] root1 = b64(p.get("root1"));
            byte[] root2 = b64(p.get("root2"));
            List<byte[]> proof = b64List(p.get("proof"));
            String desc = p.get("file").asText();
            if (!allHashes(proof, root1, root2)) {
                // Deliberately stricter than the reference: only 32-byte SHA-256 hashes are read.
                assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(size1, size2, root1, root2, proof)).as(desc)
                        .isInstanceOfSatisfying(ProofException.class,
                                e -> assertThat(e.failure()).contains(ProofFailure.MALFORMED_HASH));
                continue;
            }
            if (p.get("wantErr").asBoolean()) {
                assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(size1, size2, root1, root2, proof))
                        .as(desc).isInstanceOf(ProofException.class);
                continue;
            }
            assertThatCode(() -> MerkleVerifier.verifyConsistency(size1, size2, root1, root2, proof)).as(desc)
                    .doesNotThrowAnyException();
            if (size2 <= 8 && HEX.formatHex(root2).equals(ROOTS[(int) size2])) {
                assertThat(tree.consistencyProof(size1, size2)).as(desc).containsExactlyElementsOf(proof);
                happy++;
            }
        }
        assertThat(happy).as("happy paths produced from the reference tree").isGreaterThanOrEqualTo(4);
    }

    private static List<JsonNode> probes(String kind) throws IOException {
        String resource = "rfc6962-" + kind + "-probes.json";
        try (InputStream in = MerkleReferenceVectorsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            List<JsonNode> probes = new ArrayList<>();
            CanonicalJson.mapper().readTree(in).get("probes").forEach(probes::add);
            assertThat(probes).as(resource).hasSizeGreaterThan(50);
            return probes;
        }
    }

    private static boolean allHashes(List<byte[]> proof, byte[]... hashes) {
        return Stream.concat(proof.stream(), Stream.of(hashes)).allMatch(h -> h != null && h.length == MerkleHash.SIZE);
    }

    private static byte[] b64(JsonNode value) {
        return value == null || value.isNull() ? null : Base64.getDecoder().decode(value.asText());
    }

    private static List<byte[]> b64List(JsonNode values) {
        List<byte[]> list = new ArrayList<>();
        if (values != null) {
            values.forEach(v -> list.add(b64(v)));
        }
        return list;
    }
}
