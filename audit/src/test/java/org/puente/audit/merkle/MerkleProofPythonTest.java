package org.puente.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.CanonicalJson;

/**
 * Runs the auditors' offline verifier {@code docs/tools/puente_proof.py} on proofs made by
 * {@link MemoryTree}: valid proofs must pass (exit 0), each forgery must fail (exit 1).
 */
class MerkleProofPythonTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = CanonicalJson.mapper();
    private static final int SIZE = 107;

    private static final MemoryTree tree = new MemoryTree();
    private static final List<byte[]> entryHashes = new ArrayList<>();

    @TempDir
    Path dir;

    private record Run(int exit, String output) {
    }

    @BeforeAll
    static void build() throws NoSuchAlgorithmException {
        for (int seq = 1; seq <= SIZE; seq++) {
            byte[] entryHash = MessageDigest.getInstance("SHA-256").digest(("entry " + seq).getBytes(StandardCharsets.UTF_8));
            entryHashes.add(entryHash);
            tree.appendLeaf(entryHash);
        }
    }

    @Test
    void valid_inclusion_proofs_pass() throws Exception {
        for (int seq : new int[] {1, 42, 64, 65, 106, 107}) {
            Run run = verify("inclusion", inclusion(seq, SIZE));
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).isEqualTo("OK inclusion of entry " + seq + " in tree of size " + SIZE);
        }
        Run single = verify("inclusion", inclusion(1, 1));
        assertThat(single.exit()).as(single.output()).isZero();
    }

    @Test
    void valid_consistency_proofs_pass() throws Exception {
        for (int[] sizes : new int[][] {{1, SIZE}, {5, SIZE}, {64, SIZE}, {100, 101}, {SIZE, SIZE}, {0, SIZE}}) {
            Run run = verify("consistency", consistency(sizes[0], sizes[1]));
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).startsWith("OK consistency");
        }
    }

    @Test
    void forged_inclusion_proofs_fail() throws Exception {
        Map<String, Consumer<Map<String, Object>>> forgeries = new LinkedHashMap<>();
        forgeries.put("wrong seq", p -> p.put("seq", 41));
        forgeries.put("seq beyond the tree", p -> p.put("seq", SIZE + 1));
        forgeries.put("seq 0", p -> p.put("seq", 0));
        forgeries.put("tree size too small for the seq", p -> p.put("treeSize", 40));
        forgeries.put("wrong tree size", p -> p.put("treeSize", 50));
        forgeries.put("flipped bit in the path", p -> path(p).set(2, flipLastBit(path(p).get(2))));
        forgeries.put("flipped bit in the entry hash", p -> p.put("entryHash", flipLastBit((String) p.get("entryHash"))));
        forgeries.put("truncated path", p -> path(p).remove(path(p).size() - 1));
        forgeries.put("extra hash", p -> path(p).add(path(p).get(0)));
        forgeries.put("swapped hashes", p -> Collections.swap(path(p), 0, 1));
        forgeries.put("wrong root", p -> p.put("rootHash", HEX.formatHex(tree.root(SIZE - 1))));
        forgeries.put("short hash", p -> path(p).set(0, path(p).get(0).substring(2)));
        forgeries.put("not hex", p -> p.put("rootHash", "zz"));
        for (Map.Entry<String, Consumer<Map<String, Object>>> f : forgeries.entrySet()) {
            Map<String, Object> proof = inclusion(42, SIZE);
            f.getValue().accept(proof);
            Run run = verify("inclusion", proof);
            assertThat(run.exit()).as(f.getKey() + ": " + run.output()).isEqualTo(1);
            assertThat(run.output()).as(f.getKey()).startsWith("FAILED inclusion: ");
        }
    }

    @Test
    void forged_consistency_proofs_fail() throws Exception {
        Map<String, Consumer<Map<String, Object>>> forgeries = new LinkedHashMap<>();
        forgeries.put("wrong from size", p -> p.put("fromSize", 6));
        forgeries.put("wrong to size", p -> p.put("toSize", 64));
        forgeries.put("from size above to size", p -> p.put("fromSize", SIZE + 1));
        forgeries.put("flipped bit in the path", p -> path(p).set(1, flipLastBit(path(p).get(1))));
        forgeries.put("truncated path", p -> path(p).remove(path(p).size() - 1));
        forgeries.put("extra hash", p -> path(p).add(path(p).get(0)));
        forgeries.put("swapped hashes", p -> Collections.swap(path(p), 0, 1));
        forgeries.put("wrong old root", p -> p.put("fromRoot", HEX.formatHex(tree.root(6))));
        forgeries.put("wrong new root", p -> p.put("toRoot", HEX.formatHex(tree.root(SIZE - 1))));
        forgeries.put("swapped roots", p -> {
            Object from = p.get("fromRoot");
            p.put("fromRoot", p.get("toRoot"));
            p.put("toRoot", from);
        });
        forgeries.put("empty path", p -> path(p).clear());
        for (Map.Entry<String, Consumer<Map<String, Object>>> f : forgeries.entrySet()) {
            Map<String, Object> proof = consistency(5, SIZE);
            f.getValue().accept(proof);
            Run run = verify("consistency", proof);
            assertThat(run.exit()).as(f.getKey() + ": " + run.output()).isEqualTo(1);
            assertThat(run.output()).as(f.getKey()).startsWith("FAILED consistency: ");
        }
    }

    private static Map<String, Object> inclusion(int seq, int size) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("seq", seq);
        p.put("entryHash", HEX.formatHex(entryHashes.get(seq - 1)));
        p.put("treeSize", size);
        p.put("rootHash", HEX.formatHex(tree.root(size)));
        p.put("path", hex(tree.inclusionProof(seq - 1, size)));
        return p;
    }

    private static Map<String, Object> consistency(int fromSize, int toSize) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("fromSize", fromSize);
        p.put("fromRoot", HEX.formatHex(tree.root(fromSize)));
        p.put("toSize", toSize);
        p.put("toRoot", HEX.formatHex(tree.root(toSize)));
        p.put("path", hex(tree.consistencyProof(fromSize, toSize)));
        return p;
    }

    private Run verify(String kind, Map<String, Object> proof) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, kind, ".json");
        Files.write(file, JSON.writeValueAsBytes(proof));
        Process process = new ProcessBuilder("python3", script().toString(), kind, file.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    /** The script, found from the working directory (the module or the repository root) upwards. */
    private static Path script() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path candidate = at.resolve("docs/tools/puente_proof.py");
            if (Files.isDirectory(at.resolve("docs/tools")) && Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/tools/puente_proof.py not found above " + Path.of("").toAbsolutePath());
    }

    @SuppressWarnings("unchecked")
    private static List<String> path(Map<String, Object> proof) {
        return (List<String>) proof.get("path");
    }

    private static List<String> hex(List<byte[]> hashes) {
        List<String> out = new ArrayList<>();
        hashes.forEach(h -> out.add(HEX.formatHex(h)));
        return out;
    }

    private static String flipLastBit(String hex) {
        byte[] bytes = HEX.parseHex(hex);
        bytes[bytes.length - 1] ^= 1;
        return HEX.formatHex(bytes);
    }
}
