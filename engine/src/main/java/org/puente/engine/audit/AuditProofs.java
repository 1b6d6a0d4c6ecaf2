package org.puente.engine.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.puente.audit.export.ExportFormat;
import org.puente.audit.StoredCheckpoint;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.CheckpointStore;
import org.puente.audit.store.TimestampStore;
import org.puente.audit.store.WitnessStore;
import org.puente.engine.store.Transactions;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * What the auditor API serves of the Merkle tree and of cross-witnessing (docs/audit.md): inclusion
 * proofs of entries, consistency proofs between tree sizes, this gateway's checkpoints with the
 * peer's cosignatures, and the peer's checkpoints this gateway witnessed. Every proof is checkable
 * offline against a signed checkpoint, without trusting the gateway that served it.
 */
public final class AuditProofs {
    private final Transactions tx;
    private final AuditTree tree;
    private final AuditStore log;
    private final CheckpointStore checkpoints;
    private final WitnessStore witnesses;
    private final TimestampStore stamps = new TimestampStore();

    /** An inclusion proof (RFC 9162 §2.1.3): leaf {@code seq - 1} is the 32 bytes of {@code entryHash}. */
    public record Inclusion(long seq, String entryHash, long treeSize, String rootHash, List<String> path) {
    }

    /** A consistency proof (RFC 9162 §2.1.4) between two tree sizes and their roots. */
    public record Consistency(long fromSize, String fromRoot, long toSize, String toRoot, List<String> path) {
    }

    /**
     * One of our checkpoints with the peer's cosignature (base64 DER CMS each) and, when a TSA
     * stamped it, the RFC 3161 token over the checkpoint's SHA-256 (base64 DER; else null).
     */
    public record Cosigned(long treeSize, String rootHash, String witness, Instant cosignedAt, byte[] checkpoint,
                           byte[] cosignature, byte[] timestamp) {
    }

    public AuditProofs(Transactions tx, AuditTree tree, AuditStore log, CheckpointStore checkpoints,
                       WitnessStore witnesses) {
        this.tx = tx;
        this.tree = tree;
        this.log = log;
        this.checkpoints = checkpoints;
        this.witnesses = witnesses;
    }

    /** The proof that entry {@code seq} is in the tree of {@code treeSize} entries (the latest cosigned one when null). */
    public Inclusion inclusion(long seq, Long treeSize) {
        long size = treeSize != null ? treeSize : latestCosignedCovering(seq).treeSize();
        String entryHash = entryHash(seq);
        return new Inclusion(seq, entryHash, size, tree.root(size), tree.inclusion(seq, size));
    }

    /** The proof that the tree of {@code from} entries is a prefix of the tree of {@code to}. */
    public Consistency consistency(long from, long to) {
        return new Consistency(from, tree.root(Math.max(from, 1)), to, tree.root(to), tree.consistency(from, to));
    }

    /** The first of our checkpoints that the peer cosigned and that holds entry {@code seq}. */
    public Cosigned latestCosignedCovering(long seq) {
        WitnessStore.Cosignature s = tx.read(c -> witnesses.cosignatureCovering(c, seq)).orElseThrow(
                () -> new PuenteException(ErrorCode.NOT_FOUND, "checkpoint cosigned by the peer covering entry", seq));
        return cosigned(s);
    }

    /** Our cosigned checkpoints after tree size {@code after}, oldest first, at most {@code limit}. */
    public List<Cosigned> cosigned(long after, int limit) {
        return tx.read(c -> witnesses.cosignatures(c, after + 1, Long.MAX_VALUE)).stream().limit(limit)
                .map(this::cosigned).toList();
    }

    private Cosigned cosigned(WitnessStore.Cosignature s) {
        byte[] checkpoint = tx.read(c -> checkpoints.between(c, s.seq(), s.seq())).stream().findFirst()
                .map(StoredCheckpoint::statement).orElse(null); // null: retention removed it with its entries
        byte[] token = tx.read(c -> stamps.stamp(c, s.seq())).map(TimestampStore.Stamp::token).orElse(null);
        return new Cosigned(s.seq(), s.rootHash(), s.witness(), s.cosignedAt(), checkpoint, s.statement(), token);
    }

    /**
     * The witness line for an export ending at entry {@code seq}: the first cosigned checkpoint
     * that holds it, with the entry's inclusion proof; empty while none does.
     */
    public Optional<ExportFormat.WitnessLine> witnessLine(long seq, String entryHash) {
        Optional<WitnessStore.Cosignature> s = tx.read(c -> witnesses.cosignatureCovering(c, seq));
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Cosigned cp = cosigned(s.get());
        return Optional.of(new ExportFormat.WitnessLine(ExportFormat.WITNESS, cp.treeSize(), cp.rootHash(), cp.checkpoint(),
                cp.cosignature(), cp.timestamp(), seq, entryHash, tree.inclusion(seq, cp.treeSize())));
    }

    /** The peer's checkpoints this gateway refused (evidence), newest first. */
    public List<WitnessStore.Witnessed> refused(String origin, int limit) {
        return tx.read(c -> witnesses.refused(c, origin, limit));
    }

    private String entryHash(long seq) {
        // an archived entry's leaf is still in the tree; its hash is in the archive file, not here
        return tx.read(c -> log.entry(c, seq)).map(e -> e.hash())
                .orElseThrow(() -> new PuenteException(ErrorCode.NOT_FOUND, "live audit entry at position", seq));
    }
}
