package org.puente.engine.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.puente.audit.merkle.MerkleHash;
import org.puente.audit.merkle.MerkleNode;
import org.puente.audit.merkle.MerkleTree;
import org.puente.audit.merkle.NodeSource;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.TreeStore;
import org.puente.engine.store.Transactions;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The audit log as an RFC 9162 Merkle tree (docs/audit.md, "The Merkle tree"): leaf {@code seq - 1}
 * is the chain hash of entry {@code seq}. Grows the stored tree up to the chain head, gives the
 * root of any size it holds, and inclusion and consistency proofs.
 *
 * <p>Implementation note: the tree is grown when a checkpoint is about to be signed, not when an
 * entry is written: the hot path keeps its one chained insert, and the nodes of many entries are
 * written in a few batched units of work. Each unit adds whole leaves with every node they
 * complete, so a crash between units leaves a smaller tree, never a gap; another instance growing
 * the same tree writes the same nodes, which the store ignores.
 */
public final class AuditTree {
    /** Leaves added per unit of work. */
    static final int BATCH = 4_096;
    private static final HexFormat HEX = HexFormat.of();

    private final Transactions tx;
    private final AuditStore log;
    private final TreeStore nodes;

    public AuditTree(Transactions tx, AuditStore log, TreeStore nodes) {
        this.tx = tx;
        this.log = log;
        this.nodes = nodes;
    }

    /** Grows the tree to the chain's head; returns its size. */
    public synchronized long grow() {
        long head = tx.read(log::head).seq();
        long size = tx.read(nodes::size);
        while (size < head) {
            long from = size + 1;
            long to = Math.min(head, size + BATCH);
            List<String> hashes = tx.read(c -> nodes.entryHashes(c, from, to));
            size = tx.write(c -> {
                long stored = nodes.size(c);
                if (stored != from - 1) {
                    return stored; // another instance grew it meanwhile
                }
                NodeSource old = nodes.source(c);
                Map<Long, byte[]> fresh = new HashMap<>();
                NodeSource both = (level, index) -> {
                    byte[] h = fresh.get(key(level, index));
                    return h != null ? h : old.node(level, index);
                };
                List<MerkleNode> added = new ArrayList<>();
                long leaf = from - 1;
                for (String h : hashes) {
                    for (MerkleNode n : MerkleTree.append(leaf, MerkleHash.leafHash(HEX.parseHex(h)), both)) {
                        fresh.put(key(n.level(), n.index()), n.hash());
                        added.add(n);
                    }
                    leaf++;
                }
                nodes.insert(c, added);
                return to;
            });
        }
        return size;
    }

    /** The root of the tree of the first {@code size} entries (lower-case hex). */
    public String root(long size) {
        requireSize(size);
        return HEX.formatHex(tx.read(c -> MerkleTree.root(size, nodes.source(c))));
    }

    /** The audit path of entry {@code seq} in the tree of size {@code size} (RFC 9162 §2.1.3.1). */
    public List<String> inclusion(long seq, long size) {
        if (seq < 1 || seq > size) {
            throw new PuenteException(ErrorCode.VALUE_NOT_ALLOWED, "an entry position from 1 to the tree size " + size);
        }
        requireSize(size);
        return hex(tx.read(c -> MerkleTree.inclusionProof(seq - 1, size, nodes.source(c))));
    }

    /** The consistency proof of the tree of size {@code from} with the tree of size {@code to} (RFC 9162 §2.1.4.1). */
    public List<String> consistency(long from, long to) {
        if (from < 1 || from > to) {
            throw new PuenteException(ErrorCode.VALUE_NOT_ALLOWED, "sizes with 1 <= from <= to");
        }
        requireSize(to);
        return hex(tx.read(c -> MerkleTree.consistencyProof(from, to, nodes.source(c))));
    }

    /** How many leaves the stored tree has. */
    public long size() {
        return tx.read(nodes::size);
    }

    private void requireSize(long size) {
        if (size > size()) {
            throw new PuenteException(ErrorCode.NOT_FOUND, "audit tree of size", size);
        }
    }

    private static List<String> hex(List<byte[]> path) {
        return path.stream().map(HEX::formatHex).toList();
    }

    private static long key(int level, long index) {
        return ((long) level << 56) | index;
    }
}
