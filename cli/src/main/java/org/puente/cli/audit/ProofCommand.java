package org.puente.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.puente.audit.merkle.MerkleHash;
import org.puente.audit.merkle.MerkleVerifier;
import org.puente.audit.merkle.ProofException;
import org.puente.cli.exit.ExitCodes;
import org.puente.model.CanonicalJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code puente audit proof inclusion|consistency FILE.json}: checks one RFC 9162 proof as the
 * auditor API serves it — the same check as {@code docs/tools/puente_proof.py}, with the same
 * input and exit codes (docs/audit.md, "The Merkle tree").
 */
@Command(name = "proof", mixinStandardHelpOptions = true,
        description = {"Check an inclusion or consistency proof of the audit log's Merkle tree (RFC 9162), as the auditor",
                "API serves it: inclusion {seq, entryHash, treeSize, rootHash, path}, consistency {fromSize, fromRoot,",
                "toSize, toRoot, path}. Take the size and root from a checkpoint whose signatures you checked.",
                "Exit code 0: the proof holds; 1: it does not, or the file cannot be read."})
public final class ProofCommand implements Callable<Integer> {
    private static final HexFormat HEX = HexFormat.of();

    @Parameters(index = "0", paramLabel = "inclusion|consistency", description = "The kind of proof.")
    String kind;

    @Parameters(index = "1", paramLabel = "FILE.json", description = "The proof, as the auditor API answers it.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            JsonNode p = CanonicalJson.mapper().readTree(Files.readAllBytes(file));
            List<byte[]> path = new ArrayList<>();
            p.path("path").forEach(n -> path.add(HEX.parseHex(n.asText())));
            if ("inclusion".equals(kind)) {
                long seq = p.path("seq").asLong();
                long size = p.path("treeSize").asLong();
                MerkleVerifier.verifyInclusion(seq - 1, size, MerkleHash.leafHash(HEX.parseHex(p.path("entryHash").asText())),
                        path, HEX.parseHex(p.path("rootHash").asText()));
                out.printf("OK inclusion of entry %d in tree of size %d%n", seq, size);
            } else if ("consistency".equals(kind)) {
                long from = p.path("fromSize").asLong();
                long to = p.path("toSize").asLong();
                MerkleVerifier.verifyConsistency(from, to, HEX.parseHex(p.path("fromRoot").asText()),
                        HEX.parseHex(p.path("toRoot").asText()), path);
                out.printf("OK tree of size %d is a prefix of tree of size %d%n", from, to);
            } else {
                out.println("FAILED: the kind of proof is inclusion or consistency, not " + kind);
                return ExitCodes.INVALID;
            }
            return ExitCodes.OK;
        } catch (ProofException | IllegalArgumentException e) {
            out.println("FAILED: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (IOException e) {
            out.println("FAILED: cannot read " + file + ": " + e.getMessage());
            return ExitCodes.INVALID;
        }
    }
}
