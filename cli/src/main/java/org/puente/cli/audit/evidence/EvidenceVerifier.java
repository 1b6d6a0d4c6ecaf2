package org.puente.cli.audit.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.puente.audit.AuditEntry;
import org.puente.audit.CheckpointContent;
import org.puente.audit.export.ExportFormat;
import org.puente.audit.merkle.MerkleHash;
import org.puente.audit.merkle.MerkleVerifier;
import org.puente.audit.merkle.ProofException;
import org.puente.model.CanonicalJson;

/**
 * Checks an evidence bundle offline, in the order docs/audit.md gives: the manifest, each entry's
 * hash and links, the signed checkpoints and the peer's cosignatures ({@link SignedEvidence}), each
 * inclusion proof against the root of its checkpoint, and the signed receipts and notice. Prints
 * one line per check that holds and stops at the first that does not ({@link Failure}).
 *
 * <p>Implementation note: a proof's tree size and root are taken from the signed checkpoint, never
 * from the proof file (MerkleVerifier: a path binds the size only through its shape); the proof's
 * entry hash must be the hash of the entry in {@code entries.jsonl}, which must recompute from the
 * entry's fields. So a changed field, a changed hash and a changed path each fail on their own.
 */
final class EvidenceVerifier {
    private static final HexFormat HEX = HexFormat.of();

    /** The first check that does not hold; the message says which file and why. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /** One inclusion proof as the bundle holds it (the puente_proof.py input). */
    private record Proof(long seq, String entryHash, long treeSize, String rootHash, List<byte[]> path) {
    }

    private final Path dir;
    private final SignedEvidence signed;
    private final PrintWriter out;

    EvidenceVerifier(Path dir, SignedEvidence signed, PrintWriter out) {
        this.dir = dir;
        this.signed = signed;
        this.out = out;
    }

    /** Runs every check for the message the manifest names; returns normally only if all hold. */
    void verify(EvidenceBundle.Manifest manifest) throws Failure {
        manifest(manifest);
        List<AuditEntry> entries = entries(manifest.messageId());
        Map<Long, Proof> proofs = proofs(entries);
        TreeSet<Long> sizes = new TreeSet<>();
        proofs.values().forEach(p -> sizes.add(p.treeSize()));
        sizes.addAll(checkpointFiles());
        Map<Long, CheckpointContent> checkpoints = new TreeMap<>();
        for (long size : sizes) {
            checkpoints.put(size, signed.checkpoint(size));
            signed.cosignature(size, checkpoints.get(size));
            signed.timestamp(size);
        }
        for (AuditEntry e : entries) {
            inclusion(e, proofs.get(e.seq()), checkpoints.get(proofs.get(e.seq()).treeSize()));
        }
        signed.statements(manifest.messageId(), entries);
        ReconciliationEvidence.verify(dir, signed, manifest.messageId());
    }

    private void manifest(EvidenceBundle.Manifest m) throws Failure {
        if (!EvidenceBundle.FORMAT.equals(m.format()) || m.files() == null || m.messageId() == null) {
            throw new Failure("manifest: not a " + EvidenceBundle.FORMAT + " manifest");
        }
        Map<String, String> actual;
        try {
            actual = EvidenceBundle.digests(dir);
        } catch (IOException e) {
            throw new Failure("manifest: cannot read the bundle: " + e.getMessage());
        }
        for (Map.Entry<String, String> f : m.files().entrySet()) {
            String digest = actual.get(f.getKey());
            if (digest == null) {
                throw new Failure("manifest: " + f.getKey() + " is listed but missing");
            }
            if (!digest.equalsIgnoreCase(f.getValue())) {
                throw new Failure("manifest: SHA-256 of " + f.getKey() + " is " + digest + ", the manifest says " + f.getValue());
            }
        }
        for (String f : actual.keySet()) {
            if (!m.files().containsKey(f)) {
                throw new Failure("manifest: " + f + " is in the folder but not in the manifest");
            }
        }
        out.printf("ok manifest: %d files, every SHA-256 matches (message %s on %s)%n", actual.size(), m.messageId(), m.gateway());
    }

    private List<AuditEntry> entries(String messageId) throws Failure {
        List<AuditEntry> entries = new ArrayList<>();
        List<String> lines = lines(EvidenceBundle.ENTRIES);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                entries.add(ExportFormat.entry(ExportFormat.parse(lines.get(i))));
            } catch (IOException | IllegalArgumentException e) {
                throw new Failure(EvidenceBundle.ENTRIES + " line " + (i + 1) + ": not an entry: " + e.getMessage());
            }
        }
        if (entries.isEmpty()) {
            throw new Failure(EvidenceBundle.ENTRIES + ": no entry");
        }
        AuditEntry before = null;
        for (AuditEntry e : entries) {
            if (e.event().messageId() == null || !messageId.equals(e.event().messageId().toString())) {
                throw new Failure("entry " + e.seq() + ": is about message " + e.event().messageId() + ", not " + messageId);
            }
            String recomputed = e.recomputedHash();
            if (!recomputed.equalsIgnoreCase(e.hash())) {
                throw new Failure("entry " + e.seq() + ": its hash does not recompute from its fields (stored " + e.hash()
                        + ", recomputed " + recomputed + ")");
            }
            String link = "";
            if (before != null && e.seq() <= before.seq()) {
                throw new Failure("entry " + e.seq() + ": out of order (after entry " + before.seq() + ")");
            }
            if (before != null && e.seq() == before.seq() + 1) {
                if (!e.prevHash().equalsIgnoreCase(before.hash())) {
                    throw new Failure("entry " + e.seq() + ": its prevHash " + e.prevHash() + " is not the hash of entry "
                            + before.seq() + " (" + before.hash() + ")");
                }
                link = ", links to entry " + before.seq();
            }
            out.printf("ok entry %d (%s %s): hash recomputes from its fields%s%n", e.seq(), e.event().event(),
                    e.event().outcome(), link);
            before = e;
        }
        return entries;
    }

    private Map<Long, Proof> proofs(List<AuditEntry> entries) throws Failure {
        Map<Long, Proof> proofs = new TreeMap<>();
        for (AuditEntry e : entries) {
            String file = EvidenceBundle.proof(e.seq());
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new Failure("entry " + e.seq() + ": no inclusion proof (" + file + ")");
            }
            try {
                JsonNode n = CanonicalJson.mapper().readTree(Files.readAllBytes(dir.resolve(file)));
                List<byte[]> path = new ArrayList<>();
                for (JsonNode h : n.path("path")) {
                    path.add(HEX.parseHex(h.asText()));
                }
                Proof p = new Proof(n.path("seq").asLong(), n.path("entryHash").asText(), n.path("treeSize").asLong(),
                        n.path("rootHash").asText(), path);
                if (p.seq() != e.seq() || p.treeSize() < e.seq()) {
                    throw new Failure(file + ": is for entry " + p.seq() + " in a tree of " + p.treeSize() + ", not entry " + e.seq());
                }
                proofs.put(e.seq(), p);
            } catch (IOException | IllegalArgumentException ex) {
                throw new Failure(file + ": cannot be read: " + ex.getMessage());
            }
        }
        return proofs;
    }

    private void inclusion(AuditEntry e, Proof p, CheckpointContent cp) throws Failure {
        String what = "proof of entry " + e.seq();
        if (!p.entryHash().equalsIgnoreCase(e.hash())) {
            throw new Failure(what + ": proves entry hash " + p.entryHash() + ", not the hash of entry " + e.seq() + " ("
                    + e.hash() + ")");
        }
        if (!p.rootHash().equalsIgnoreCase(cp.rootHash())) {
            throw new Failure(what + ": its root " + p.rootHash() + " is not the root checkpoint " + p.treeSize() + " signs ("
                    + cp.rootHash() + ")");
        }
        try {
            MerkleVerifier.verifyInclusion(e.seq() - 1, cp.seq(), MerkleHash.leafHash(HEX.parseHex(e.hash())), p.path(),
                    HEX.parseHex(cp.rootHash()));
        } catch (ProofException | IllegalArgumentException ex) {
            throw new Failure(what + ": does not lead to the root of checkpoint " + cp.seq() + ": " + ex.getMessage());
        }
        out.printf("ok proof of entry %d: in the tree of %d entries whose root %s both gateways signed%n", e.seq(), cp.seq(),
                cp.rootHash());
    }

    /** The tree sizes of the checkpoint files in the bundle. */
    private List<Long> checkpointFiles() throws Failure {
        Path folder = dir.resolve(EvidenceBundle.CHECKPOINTS);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            List<Long> sizes = new ArrayList<>();
            for (String name : s.map(p -> p.getFileName().toString()).toList()) {
                if (name.matches("[0-9]{1,18}\\.p7s")) {
                    sizes.add(Long.parseLong(name.substring(0, name.length() - 4)));
                } else if (!name.matches("[0-9]{1,18}\\.cosignature\\.p7s") && !name.matches("[0-9]{1,18}\\.tsr")) {
                    throw new Failure(EvidenceBundle.CHECKPOINTS + "/" + name + ": not a checkpoint, cosignature or time-stamp file");
                }
            }
            return sizes;
        } catch (IOException e) {
            throw new Failure(EvidenceBundle.CHECKPOINTS + ": cannot be listed: " + e.getMessage());
        }
    }

    private List<String> lines(String file) throws Failure {
        try {
            return Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Failure(file + ": cannot be read: " + e.getMessage());
        }
    }
}
