package org.puente.engine.audit;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.CheckpointContent;
import org.puente.audit.CosignatureContent;
import org.puente.audit.StoredCheckpoint;
import org.puente.audit.store.WitnessStore;
import org.puente.engine.peer.PeerCall;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.store.Transactions;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's side of cross-witnessing (docs/audit.md, "Cross-witnessing"): sends its latest
 * checkpoint that the peer has not cosigned, with the consistency proof from the last one it did,
 * checks the peer's cosignature and keeps it beside the checkpoint ({@code audit_cosignature}).
 * A refusal by the peer is written to this gateway's log ({@code COSIGNATURE_REFUSED}) and counts
 * in {@code gateway.audit.witness.refusals}; the peer keeps the refused checkpoint as evidence.
 *
 * <p>Implementation note: only the latest checkpoint is sent; a consistency proof makes every
 * earlier one a prefix of it, so the cosignature of the latest vouches for all entries up to it.
 * A peer that is down is simply asked again at the next checkpoint tick.
 */
public final class Witnessing {
    private static final Logger LOG = LoggerFactory.getLogger(Witnessing.class);

    private final Transactions tx;
    private final AuditCheckpoints checkpoints;
    private final WitnessStore store;
    private final AuditLog audit;
    private final PeerClient peer;
    private final Trusts trusts;
    private final String ownName;
    private final Clock clock;
    private final AtomicLong refusals = new AtomicLong();

    /** What one attempt came to. */
    public enum Result { NOTHING_TO_DO, COSIGNED, REFUSED, PEER_UNAVAILABLE }

    /**
     * How checkpoints and cosignatures are checked: our own checkpoint before it leaves (our audit
     * key), the peer's cosignature when it comes back (the peer's audit key).
     */
    public record Trusts(StatementVerifier verifier, SignerTrust ownAudit, Supplier<SignerTrust> peerAudit) {
    }

    public Witnessing(Transactions tx, AuditCheckpoints checkpoints, WitnessStore store, AuditLog audit, PeerClient peer,
                      Trusts trusts, String ownName, Clock clock) {
        this.tx = tx;
        this.checkpoints = checkpoints;
        this.store = store;
        this.audit = audit;
        this.peer = peer;
        this.trusts = trusts;
        this.ownName = ownName;
        this.clock = clock;
    }

    /** Refusals of our checkpoints by the peer since this process started. */
    public long refusals() {
        return refusals.get();
    }

    /** The latest of our checkpoints the peer cosigned, if any. */
    public Optional<WitnessStore.Cosignature> latestCosigned() {
        return tx.read(store::latestCosignature);
    }

    /**
     * How long our oldest checkpoint that no cosignature covers has waited (zero when the peer
     * cosigned the latest): {@code gateway.audit.cosignature.wait}, which the alert watches.
     */
    public java.time.Duration waiting() {
        long cosigned = latestCosigned().map(WitnessStore.Cosignature::seq).orElse(0L);
        return checkpoints.firstAfter(cosigned)
                .map(cp -> java.time.Duration.between(cp.signedAt(), clock.instant()))
                .filter(d -> !d.isNegative()).orElse(java.time.Duration.ZERO);
    }

    /** Asks the peer to cosign our latest checkpoint, if it has not yet. */
    public synchronized Result witnessLatest() {
        Optional<StoredCheckpoint> latest = checkpoints.latest();
        Optional<WitnessStore.Cosignature> cosigned = latestCosigned();
        if (latest.isEmpty() || cosigned.map(s -> s.seq() >= latest.get().seq()).orElse(false)) {
            return Result.NOTHING_TO_DO;
        }
        StoredCheckpoint cp = latest.get();
        String root = CheckpointContent.verify(trusts.verifier(), trusts.ownAudit(), cp.statement()).rootHash();
        if (root == null) {
            return Result.NOTHING_TO_DO;
        }
        long from = cosigned.map(WitnessStore.Cosignature::seq).orElse(0L);
        PeerProtocol.WitnessAnswer answer = ask(cp, from);
        if (answer != null && answer.cosignedSize() != null && answer.cosignature() == null
                && ErrorCode.WITNESS_OUT_OF_STEP.code().equals(answer.refused())) {
            long theirs = answer.cosignedSize();
            if (theirs > cp.seq()) {
                if (checkpoints.latest().map(l -> l.seq() >= theirs).orElse(false)) {
                    return Result.NOTHING_TO_DO; // another instance's newer checkpoint was cosigned meanwhile
                }
                return refused(cp, "the peer cosigned a tree of size " + theirs + ", larger than our latest checkpoint "
                        + cp.seq() + ": our log or our checkpoints were rolled back");
            }
            answer = ask(cp, theirs);
        }
        if (answer == null) {
            return Result.PEER_UNAVAILABLE;
        }
        if (answer.cosignature() == null) {
            return refused(cp, answer.refused() + ": " + answer.detail());
        }
        CosignatureContent content = CosignatureContent.verify(trusts.verifier(), trusts.peerAudit().get(), answer.cosignature());
        if (!content.covers(ownName, cp.seq(), root)) {
            return refused(cp, "the peer's cosignature is for tree size " + content.treeSize() + " root " + content.rootHash()
                    + ", not for ours");
        }
        WitnessStore.Cosignature kept = new WitnessStore.Cosignature(cp.seq(), content.witness(), root,
                content.cosignedAt(), answer.cosignature());
        tx.write(c -> store.addCosignature(c, kept));
        return Result.COSIGNED;
    }

    private PeerProtocol.WitnessAnswer ask(StoredCheckpoint cp, long from) {
        List<String> proof = from == 0 ? List.of() : checkpoints.tree().consistency(from, cp.seq());
        PeerCall<PeerProtocol.WitnessAnswer> call = peer.witness(new PeerProtocol.WitnessRequest(cp.statement(), from, proof));
        if (call.kind() != PeerCall.Kind.ANSWERED) {
            LOG.warn("the peer did not witness audit checkpoint {}: {} {}", cp.seq(), call.error(), call.detail());
            return null;
        }
        return call.answer();
    }

    private Result refused(StoredCheckpoint cp, String why) {
        String detail = why.length() > 400 ? why.substring(0, 400) : why;
        refusals.incrementAndGet();
        LOG.error("the peer refused to cosign audit checkpoint {}: {}", cp.seq(), detail);
        tx.write(c -> {
            audit.append(c, AuditEvent.action(AuditEventType.COSIGNATURE_REFUSED, clock.instant(), ownName, null)
                    .withOutcome(AuditEvent.REJECTED, ErrorCode.CHECKPOINT_INCONSISTENT, "checkpoint at entry " + cp.seq()
                            + ": " + detail));
            return null;
        });
        return Result.REFUSED;
    }
}
