package org.puente.audit.verify;

import org.puente.audit.CheckpointContent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.puente.model.error.PuenteException;
import org.puente.audit.AuditEntry;
import org.puente.audit.StoredCheckpoint;

/**
 * Recomputes an audit chain entry by entry, in position order, and stops at the first break:
 * a missing position, an altered entry, a broken link, a checkpoint that does not verify or does
 * not match, a checkpoint missing from the checkpoints' own chain, or entries that waited too long
 * for a checkpoint ({@link CheckpointRules}). Fed by a live database, an export or an archive alike.
 *
 * <p>Implementation note: each entry is checked in the order an honest writer produced it —
 * position, then link to the previous hash, then its own hash — so the reported position is
 * where the evidence first stops agreeing. An entry changed together with its stored hash is
 * reported at the next position (its successor still names the old hash), or at the checkpoint
 * that covers it. Entries after the latest checkpoint can be cut off together with the chain head
 * by someone with write access to the database; checkpoints, exports and the peer's
 * reconciliation bound that window (docs/audit.md).
 */
public final class ChainVerifier {
    /** Verifies a checkpoint's signature and content; throws the refusal. */
    @FunctionalInterface
    public interface CheckpointCheck {
        CheckpointContent verify(StoredCheckpoint checkpoint);
    }

    private final CheckpointCheck check;
    private final CheckpointRules rules;
    private final Iterator<StoredCheckpoint> pending;
    private final List<String> notes = new ArrayList<>();
    private StoredCheckpoint nextCheckpoint;
    private long expectedSeq;
    private String runningHash;
    private long firstSeq;
    private long entries;
    private int checkpoints;
    private long latestCheckpointSeq;
    private Instant latestCheckpointAt;
    private ChainBreak broken;
    /** The last checkpoint accepted in this walk (null before the first). */
    private CheckpointContent lastCheckpoint;
    /** The first entry accepted since the last checkpoint: the one that has waited longest (0/null: none). */
    private long waitingSeq;
    private Instant waitingAt;
    private int legacyCheckpoints;

    /**
     * @param checkpoints  the checkpoints that come with the log, any order
     * @param firstSeq     the position the log must start at, or 0 when any start is acceptable
     * @param previousHash the hash the first entry must name as previous, or null when unknown
     * @param rules        the cadence demanded of the checkpoints
     */
    public ChainVerifier(CheckpointCheck check, List<StoredCheckpoint> checkpoints, long firstSeq, String previousHash,
                         CheckpointRules rules) {
        this.check = check;
        this.rules = rules;
        List<StoredCheckpoint> sorted = new ArrayList<>(checkpoints);
        sorted.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        this.pending = sorted.iterator();
        this.nextCheckpoint = pending.hasNext() ? pending.next() : null;
        this.expectedSeq = firstSeq;
        this.runningHash = previousHash;
    }

    public boolean broken() {
        return broken != null;
    }

    /** The position the next entry should have (0 before the first, when any start is acceptable). */
    public long position() {
        return expectedSeq;
    }

    /** Records a failure of the evidence around the entries (an archive file, a signature) at a position. */
    public void fail(ChainBreak breakage) {
        if (broken == null) {
            broken = breakage;
        }
    }

    /** Adds something the auditor should read with the result. */
    public void note(String note) {
        notes.add(note);
    }

    /** Checks the next entry; returns false once the chain is broken (further entries are ignored). */
    public boolean accept(AuditEntry e) {
        if (broken != null) {
            return false;
        }
        if (entries == 0) {
            start(e);
        } else if (e.seq() != expectedSeq) {
            return fail(expectedSeq, e.seq() > expectedSeq ? ChainBreak.Kind.MISSING : ChainBreak.Kind.LINK_BROKEN,
                    e.seq() > expectedSeq ? "the entry is not there: entry " + (expectedSeq - 1) + " is followed by entry " + e.seq()
                            : "entry " + e.seq() + " appears again after entry " + (expectedSeq - 1));
        }
        if (broken != null) {
            return false;
        }
        if (runningHash != null && !runningHash.equalsIgnoreCase(String.valueOf(e.prevHash()))) {
            return fail(e.seq(), ChainBreak.Kind.LINK_BROKEN, "it names " + e.prevHash() + " as the previous hash, but "
                    + (entries == 0 ? "the chain before it ends with " : "entry " + (e.seq() - 1) + " hashes to ") + runningHash);
        }
        String recomputed = e.recomputedHash();
        if (!recomputed.equalsIgnoreCase(String.valueOf(e.hash()))) {
            return fail(e.seq(), ChainBreak.Kind.ALTERED, "its fields hash to " + recomputed + ", but its stored hash is "
                    + e.hash() + ": the entry was changed");
        }
        if (waitingAt == null) {
            waitingSeq = e.seq();
            waitingAt = e.event().at();
        }
        checkpointsAt(e.seq(), recomputed);
        if (broken != null) {
            return false;
        }
        entries++;
        runningHash = recomputed;
        expectedSeq = e.seq() + 1;
        return true;
    }

    private void start(AuditEntry e) {
        firstSeq = e.seq();
        if (expectedSeq > 0 && e.seq() != expectedSeq) {
            if (e.seq() > expectedSeq) {
                fail(expectedSeq, ChainBreak.Kind.MISSING, "the log should start at entry " + expectedSeq + " but starts at "
                        + e.seq());
            } else {
                fail(e.seq(), ChainBreak.Kind.LINK_BROKEN, "the log should start at entry " + expectedSeq);
            }
            return;
        }
        while (nextCheckpoint != null && nextCheckpoint.seq() < e.seq()) {
            note("checkpoint for entry " + nextCheckpoint.seq() + " is before the first entry checked (" + e.seq()
                    + ") and was not checked");
            nextCheckpoint = pending.hasNext() ? pending.next() : null;
        }
    }

    /** Records a row that cannot be read as an entry. */
    public void unreadable(long seq, String reason) {
        if (broken == null) {
            fail(seq, ChainBreak.Kind.UNREADABLE, reason + ": the entry was changed");
        }
    }

    private void checkpointsAt(long seq, String hash) {
        while (broken == null && nextCheckpoint != null && nextCheckpoint.seq() == seq) {
            StoredCheckpoint cp = nextCheckpoint;
            nextCheckpoint = pending.hasNext() ? pending.next() : null;
            Optional<CheckpointContent> content = verified(cp);
            if (content.isEmpty()) {
                return;
            }
            CheckpointContent c = content.get();
            if (!c.hash().equalsIgnoreCase(hash)) {
                fail(seq, ChainBreak.Kind.CHECKPOINT_MISMATCH, "the checkpoint signed at " + c.at() + " vouches for hash "
                        + c.hash() + ", but the entry hashes to " + hash);
                return;
            }
            if (!chained(c) || !onTime(c)) {
                return;
            }
            checkpoints++;
            latestCheckpointSeq = seq;
            latestCheckpointAt = c.at();
            lastCheckpoint = c;
            waitingSeq = 0;
            waitingAt = null;
        }
    }

    /** Whether the checkpoint names the one before it; a predecessor that is not there was deleted. */
    private boolean chained(CheckpointContent c) {
        if (c.legacy()) {
            legacyCheckpoints++;
            return true;
        }
        long previous = c.previousSeq();
        if (lastCheckpoint != null) {
            if (previous == lastCheckpoint.seq() && lastCheckpoint.hash().equalsIgnoreCase(c.previousHash())) {
                return true;
            }
            if (previous > lastCheckpoint.seq()) {
                return fail(previous, ChainBreak.Kind.CHECKPOINT_MISSING, missing(c));
            }
            return fail(c.seq(), ChainBreak.Kind.CHECKPOINT_MISMATCH, "the checkpoint signed at " + c.at()
                    + " names the checkpoint for entry " + previous + " (hash " + c.previousHash()
                    + ") as the one before it, but the one before it is for entry " + lastCheckpoint.seq() + " (hash "
                    + lastCheckpoint.hash() + "): checkpoints were replaced");
        }
        if (previous > 0 && previous >= firstSeq) {
            return fail(previous, ChainBreak.Kind.CHECKPOINT_MISSING, missing(c));
        }
        return true;
    }

    private static String missing(CheckpointContent c) {
        return "the checkpoint for entry " + c.seq() + " (signed at " + c.at() + ") names a checkpoint for entry "
                + c.previousSeq() + " as the one before it, and that checkpoint is not there: it was deleted";
    }

    /** Whether the entries this checkpoint is the first to cover waited no longer than the rules allow. */
    private boolean onTime(CheckpointContent c) {
        Duration allowed = c.legacy() ? null : rules.allowedGap(c.interval());
        if (allowed == null) {
            return true;
        }
        Instant from = waitingSince();
        Duration waited = Duration.between(from, c.at());
        if (waited.compareTo(allowed) <= 0) {
            return true;
        }
        return fail(waitingSeq, ChainBreak.Kind.CHECKPOINT_GAP, "entries " + waitingSeq + " to " + c.seq()
                + " waited " + waited + " for a checkpoint (from " + from + " to the one signed at " + c.at() + "), longer than "
                + allowed + " (" + allowance(c.interval()) + "): the gateway stopped without a final checkpoint, or"
                + " checkpoints were deleted");
    }

    /** The later of the first waiting entry's time and the last checkpoint's: idle time is nobody's fault. */
    private Instant waitingSince() {
        if (lastCheckpoint != null && lastCheckpoint.at() != null && lastCheckpoint.at().isAfter(waitingAt)) {
            return lastCheckpoint.at();
        }
        return waitingAt;
    }

    private String allowance(Duration signedInterval) {
        if (rules.maxGap() != null) {
            return "the auditor's maximum";
        }
        return CheckpointRules.FACTOR + " x the checkpoint interval " + (signedInterval != null ? signedInterval
                : rules.defaultInterval());
    }

    private Optional<CheckpointContent> verified(StoredCheckpoint cp) {
        try {
            return Optional.of(check.verify(cp));
        } catch (PuenteException ex) {
            fail(cp.seq(), ChainBreak.Kind.CHECKPOINT_INVALID, "the checkpoint does not verify against the gateway's certificate: "
                    + ex.errorCode().code() + ": " + ex.sentence(Locale.ENGLISH));
            return Optional.empty();
        }
    }

    /**
     * Ends the walk. {@code vouchedSeq}/{@code vouchedHash}: the last position and hash the
     * source vouches for independently of the entries (the chain head row, the export header),
     * or 0/null when there is none.
     */
    public ChainReport finish(long vouchedSeq, String vouchedHash, String voucher) {
        long lastSeq = expectedSeq > 0 ? expectedSeq - 1 : 0;
        if (broken == null && vouchedSeq > 0) {
            if (vouchedSeq > lastSeq) {
                fail(lastSeq + 1, ChainBreak.Kind.TRUNCATED, voucher + " says the log goes to entry " + vouchedSeq
                        + ", but it ends at entry " + lastSeq + ": the tail was cut off");
            } else if (vouchedSeq < lastSeq) {
                fail(vouchedSeq + 1, ChainBreak.Kind.TRUNCATED, voucher + " says the log ends at entry " + vouchedSeq
                        + ", but entries go on to " + lastSeq + ": entries were added behind it");
            } else if (vouchedHash != null && !vouchedHash.equalsIgnoreCase(runningHash)) {
                fail(lastSeq, ChainBreak.Kind.ALTERED, voucher + " says entry " + lastSeq + " hashes to " + vouchedHash
                        + ", but it hashes to " + runningHash);
            }
        }
        while (broken == null && nextCheckpoint != null) {
            StoredCheckpoint cp = nextCheckpoint;
            nextCheckpoint = pending.hasNext() ? pending.next() : null;
            if (verified(cp).isPresent()) {
                fail(lastSeq + 1, ChainBreak.Kind.TRUNCATED, "a checkpoint signed at " + cp.signedAt() + " vouches for entry "
                        + cp.seq() + ", but the log ends at entry " + lastSeq + ": the tail was cut off");
            }
        }
        if (broken == null && waitingAt != null) {
            tail(lastSeq);
        }
        if (legacyCheckpoints > 0) {
            note(legacyCheckpoints + " checkpoint(s) were made before checkpoints named their predecessor, with the"
                    + " gateway's message key (accepted as legacy evidence: whoever holds that key could have made them)");
        }
        return new ChainReport(entries == 0 ? 0 : firstSeq, lastSeq, runningHash, entries, checkpoints, latestCheckpointSeq,
                latestCheckpointAt, Optional.ofNullable(broken), List.copyOf(notes));
    }

    /** The entries after the last checkpoint, judged as the rules say. */
    private void tail(long lastSeq) {
        String which = "entries " + waitingSeq + " to " + lastSeq;
        if (rules.tail() == CheckpointRules.Tail.COVERED) {
            fail(waitingSeq, ChainBreak.Kind.CHECKPOINT_GAP, which + " are vouched for by no checkpoint of the file");
        } else if (rules.tail() == CheckpointRules.Tail.RECENT) {
            Duration signedInterval = lastCheckpoint == null ? null : lastCheckpoint.interval();
            Duration allowed = rules.allowedGap(signedInterval);
            Instant from = waitingSince();
            Duration waited = Duration.between(from, rules.now());
            if (allowed != null && waited.compareTo(allowed) > 0) {
                fail(waitingSeq, ChainBreak.Kind.CHECKPOINT_GAP, which + " are vouched for by no checkpoint, and have waited "
                        + waited + " since " + from + ", longer than " + allowed + " (" + allowance(signedInterval) + "): the"
                        + " gateway stopped without a final checkpoint, or the checkpoints after "
                        + (lastCheckpoint == null ? "the start of the log" : "entry " + lastCheckpoint.seq()) + " were deleted");
            }
        }
    }

    private boolean fail(long seq, ChainBreak.Kind kind, String detail) {
        broken = new ChainBreak(seq, kind, detail);
        return false;
    }
}
