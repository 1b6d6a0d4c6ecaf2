package org.puente.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * A Merkle tree held in memory, every complete node kept: for tests and for the offline verifier,
 * which rebuild a tree from exported entries. Not thread-safe.
 */
public final class MemoryTree implements NodeSource {
    /** levels.get(level).get(index) is the complete node at (level, index). */
    private final List<List<byte[]>> levels = new ArrayList<>();
    private long size;

    /** Appends the leaf with this input (for the audit log: the 32 bytes of the entry hash). */
    public void appendLeaf(byte[] leafInput) {
        appendLeafHash(MerkleHash.leafHash(leafInput));
    }

    /** Appends a leaf whose leaf hash is already computed. */
    public void appendLeafHash(byte[] leafHash) {
        for (MerkleNode n : MerkleTree.append(size, leafHash, this)) {
            if (levels.size() == n.level()) {
                levels.add(new ArrayList<>());
            }
            levels.get(n.level()).add(n.hash());
        }
        size++;
    }

    /** The number of leaves. */
    public long size() {
        return size;
    }

    /** The root of the whole tree. */
    public byte[] root() {
        return MerkleTree.root(size, this);
    }

    /** The root of the tree of the first {@code treeSize} leaves. */
    public byte[] root(long treeSize) {
        requireAtMostSize(treeSize);
        return MerkleTree.root(treeSize, this);
    }

    /** The inclusion path of a leaf in the tree of the first {@code treeSize} leaves. */
    public List<byte[]> inclusionProof(long leafIndex, long treeSize) {
        requireAtMostSize(treeSize);
        return MerkleTree.inclusionProof(leafIndex, treeSize, this);
    }

    /** The consistency proof between two sizes this tree has had. */
    public List<byte[]> consistencyProof(long size1, long size2) {
        requireAtMostSize(size2);
        return MerkleTree.consistencyProof(size1, size2, this);
    }

    @Override
    public byte[] node(int level, long index) {
        if (level < 0 || level >= levels.size() || index < 0 || index >= levels.get(level).size()) {
            throw new IllegalStateException("no complete node at level " + level + ", index " + index
                    + " in a tree of size " + size);
        }
        return levels.get(level).get((int) index).clone();
    }

    private void requireAtMostSize(long treeSize) {
        if (treeSize > size) {
            throw new IllegalArgumentException("tree size " + treeSize + " is beyond this tree's " + size + " leaves");
        }
    }
}
