package org.puente.engine.audit;

import org.puente.audit.AuditHash;
import org.puente.audit.CheckpointContent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.audit.store.AuditStore;
import org.puente.audit.StoredCheckpoint;
import org.puente.audit.store.CheckpointStore;
import org.puente.engine.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the head of the audit chain with the gateway's audit key at a fixed interval, on start
 * when the previous run left entries no checkpoint covers, and on shutdown; stores the checkpoint
 * beside the log. Each checkpoint names the one before it and the interval, so the verifier can
 * tell a deleted checkpoint from one that was never made ({@link CheckpointContent}).
 *
 * <p>Implementation note: signing happens outside the store's writer (CONVENTIONS: no
 * cryptography in a unit of work); the head read before signing is committed, so the checkpoint
 * vouches for entries that are already on disk. The predecessor is the latest checkpoint in the
 * database — unless this process signed a later one, which then was deleted behind its back: the
 * new checkpoint names the one this process remembers, so the deletion shows as a missing link
 * instead of being papered over (and is logged). Several instances may sign at the same moment:
 * one successor per predecessor is stored (a unique column), the others are dropped and the next
 * tick chains onto the winner.
 *
 * <p>Each checkpoint also carries the Merkle root of the entries it covers ({@link AuditTree}),
 * so an auditor can prove one entry against it (inclusion) and that a later checkpoint extends
 * it (consistency), and the peer can witness it ({@link Witnessing}).
 */
public final class AuditCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpoints.class);

    private final Transactions tx;
    private final AuditStore store;
    private final CheckpointStore checkpoints;
    private final StatementSigner signer;
    private final String gateway;
    private final Country country;
    private final Duration interval;
    private final Clock clock;
    private final AuditTree tree;
    /** The last checkpoint this process stored: a later one may come from another instance, an earlier one never. */
    private volatile StoredCheckpoint lastStored;

    /**
     * @param signer   a signer over the gateway's audit key (never the message key)
     * @param interval the configured checkpoint interval, signed into each checkpoint for the verifier's cadence rule
     */
    public AuditCheckpoints(Transactions tx, AuditStore store, CheckpointStore checkpoints, StatementSigner signer,
                            String gateway, Country country, Duration interval, Clock clock, AuditTree tree) {
        this.tree = tree;
        this.tx = tx;
        this.store = store;
        this.checkpoints = checkpoints;
        this.signer = signer;
        this.gateway = gateway;
        this.country = country;
        this.interval = interval;
        this.clock = clock;
    }

    public Duration interval() {
        return interval;
    }

    /** Signs the current head unless it is already checkpointed; returns the new checkpoint, if any. */
    public synchronized Optional<StoredCheckpoint> checkpoint() {
        AuditStore.Head head = tx.read(store::head);
        if (head.seq() == 0) {
            return Optional.empty();
        }
        Optional<StoredCheckpoint> latest = tx.read(checkpoints::latest);
        if (latest.isPresent() && latest.get().seq() >= head.seq()) {
            return Optional.empty();
        }
        StoredCheckpoint remembered = lastStored;
        StoredCheckpoint previous = latest.orElse(null);
        if (remembered != null && (previous == null || previous.seq() < remembered.seq())) {
            LOG.error("audit checkpoint for entry {} signed by this gateway is gone from the database (latest there: {});"
                    + " the next checkpoint names it as its predecessor, so verification reports the deletion",
                    remembered.seq(), previous == null ? "none" : "entry " + previous.seq());
            previous = remembered;
        }
        long previousSeq = previous == null ? 0 : previous.seq();
        String previousHash = previous == null ? AuditHash.GENESIS : previous.hash();
        Instant now = AuditHash.normalize(clock.instant());
        String root = root(head.seq());
        byte[] cms = signer.sign(StatementType.AUDIT_CHECKPOINT, CanonicalJson.bytes(new CheckpointContent(gateway,
                country.name(), head.seq(), head.hash(), now, previousSeq, previousHash, interval, root)));
        StoredCheckpoint cp = new StoredCheckpoint(head.seq(), head.hash(), now, cms);
        boolean stored = tx.write(c -> checkpoints.insert(c, cp, previousSeq));
        if (!stored) {
            return Optional.empty();
        }
        lastStored = cp;
        return Optional.of(cp);
    }

    /**
     * The Merkle root of entries 1 to {@code size}, growing the tree first; null (and logged) when
     * the tree cannot reach that size — entries that retention archived before the tree existed.
     */
    private String root(long size) {
        try {
            tree.grow();
            return tree.root(size);
        } catch (RuntimeException e) {
            LOG.error("audit checkpoint at entry {} carries no Merkle root: {}", size, e.getMessage());
            return null;
        }
    }

    /** The latest checkpoint in the database (of any instance). */
    public Optional<StoredCheckpoint> latest() {
        return tx.read(checkpoints::latest);
    }

    /** The first checkpoint after position {@code seq}, if any. */
    public Optional<StoredCheckpoint> firstAfter(long seq) {
        return tx.read(c -> checkpoints.firstAtOrAfter(c, seq + 1));
    }

    public AuditTree tree() {
        return tree;
    }

    /**
     * On start: if the previous run ended without a final checkpoint (a crash), the entries after
     * the latest checkpoint are covered by none; sign one now, before new work arrives, and say so.
     */
    public Optional<StoredCheckpoint> checkpointOnStart() {
        AuditStore.Head head = tx.read(store::head);
        Optional<StoredCheckpoint> latest = tx.read(checkpoints::latest);
        long covered = latest.map(StoredCheckpoint::seq).orElse(0L);
        if (head.seq() <= covered) {
            return Optional.empty();
        }
        Optional<StoredCheckpoint> cp = checkpoint();
        LOG.warn("the previous run ended without a final audit checkpoint: entries {} to {} were covered by none until now;"
                + " verification reports them if they waited longer than {} x the checkpoint interval", covered + 1,
                head.seq(), org.puente.audit.verify.CheckpointRules.FACTOR);
        return cp;
    }
}
