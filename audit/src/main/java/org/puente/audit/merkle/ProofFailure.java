package org.puente.audit.merkle;

/** Why a Merkle proof was refused; the code is stable and names the failed check. */
public enum ProofFailure {
    /** A hash (leaf, root or proof element) is not 32 bytes long, or absent. */
    MALFORMED_HASH("malformed_hash"),
    /** The leaf index is negative or not below the tree size. */
    INDEX_OUT_OF_RANGE("index_out_of_range"),
    /** A consistency proof from a larger tree to a smaller one. */
    SIZES_OUT_OF_ORDER("sizes_out_of_order"),
    /** The proof has fewer elements than the path for these sizes and index needs. */
    PROOF_TOO_SHORT("proof_too_short"),
    /** The proof has more elements than the path for these sizes and index needs. */
    PROOF_TOO_LONG("proof_too_long"),
    /** The root of the first (smaller) tree recomputed from the proof differs from the one given. */
    FIRST_ROOT_MISMATCH("first_root_mismatch"),
    /** The root recomputed from the proof differs from the root given for the (second) tree. */
    ROOT_MISMATCH("root_mismatch");

    private final String code;

    ProofFailure(String code) {
        this.code = code;
    }

    /** The stable snake_case code. */
    public String code() {
        return code;
    }
}
