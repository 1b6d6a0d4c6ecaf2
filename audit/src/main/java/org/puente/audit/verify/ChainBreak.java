package org.puente.audit.verify;

/**
 * The first place where an audit log stops proving itself: the chain position and what is wrong
 * there.
 *
 * @param seq    the chain position where the break is
 * @param kind   what kind of break
 * @param detail one sentence with the stored and recomputed values
 */
public record ChainBreak(long seq, Kind kind, String detail) {

    /** What is wrong at the position. */
    public enum Kind {
        /** The entry at this position is not there (deleted, or the tail was cut). */
        MISSING,
        /** The entry's fields do not hash to its stored hash: it was changed. */
        ALTERED,
        /** The entry's previous hash is not the hash of the entry before it. */
        LINK_BROKEN,
        /** The row cannot be read as an entry at all. */
        UNREADABLE,
        /** Entries the chain head, the export header or a signed checkpoint vouches for are gone. */
        TRUNCATED,
        /** A checkpoint whose signature does not verify against the gateway's certificate. */
        CHECKPOINT_INVALID,
        /**
         * A validly signed checkpoint that vouches for a different hash than the entry has, or that
         * names another predecessor than the checkpoint before it (checkpoints replaced or forked).
         */
        CHECKPOINT_MISMATCH,
        /**
         * A checkpoint that a later checkpoint names as its predecessor is not there: it was
         * deleted. Reported at the position the missing checkpoint vouched for.
         */
        CHECKPOINT_MISSING,
        /**
         * Entries that no checkpoint vouched for in time: the first of them waited longer for a
         * checkpoint than the cadence allows ({@link CheckpointRules}), or, on a live gateway, is
         * still waiting. The gateway stopped without its final checkpoint, or checkpoints were
         * deleted. Reported at the first of those entries.
         */
        CHECKPOINT_GAP,
        /** An archive file holding these entries is missing, differs from what was archived, or its signature fails. */
        ARCHIVE_INVALID,
        /**
         * Rows in the audit table outside the chain (no position): the gateway only ever appends
         * chained entries, so such a row was written behind its back.
         */
        OUTSIDE_THE_CHAIN
    }

    @Override
    public String toString() {
        return "entry " + seq + ": " + kind + ": " + detail;
    }
}
