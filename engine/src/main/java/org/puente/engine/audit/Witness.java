package org.puente.engine.audit;

import org.puente.envelope.Fingerprints;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.AuditHash;
import org.puente.audit.CheckpointContent;
import org.puente.audit.CosignatureContent;
import org.puente.audit.merkle.MerkleVerifier;
import org.puente.audit.merkle.ProofException;
import org.puente.audit.store.WitnessStore;
import org.puente.audit.store.WitnessStore.Witnessed;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.store.Transactions;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway as the witness of the peer's audit log (docs/audit.md, "Cross-witnessing"): it
 * cosigns a checkpoint of the peer only if the checkpoint extends the largest one it cosigned
 * before — proved by an RFC 9162 consistency proof — and records every checkpoint it judged, in its
 * own log ({@code CHECKPOINT_WITNESSED}, {@code WITNESS_REFUSED}) and in full
 * ({@code witnessed_checkpoint}). A refusal counts in {@code gateway.audit.witness.refusals}.
 *
 * <p>Implementation note: the first checkpoint of a peer is cosigned on its own word (there is
 * nothing to be consistent with); from then on the peer can only add to its log. A checkpoint of
 * the cosigned size with another root is a fork and is refused like an inconsistent one; a smaller
 * one is answered with the cosigned size (the origin tells a late retry from a rollback). Judging and recording happen under one lock, so two
 * requests of the peer cannot both extend the same cosigned checkpoint differently.
 */
public final class Witness {
    private static final Logger LOG = LoggerFactory.getLogger(Witness.class);
    private static final HexFormat HEX = HexFormat.of();

    private final Transactions tx;
    private final WitnessStore store;
    private final AuditLog audit;
    private final StatementSigner auditSigner;
    private final StatementVerifier verifier;
    private final Supplier<SignerTrust> peerAuditTrust;
    private final Parties parties;
    private final Clock clock;
    private final AtomicLong refusals = new AtomicLong();

    /**
     * @param auditSigner    this gateway's audit key, which signs the cosignatures
     * @param peerAuditTrust the peer's trust in force (CRLs reload), for its audit key ({@link org.puente.audit.AuditKeys#trust})
     */
    public Witness(Transactions tx, WitnessStore store, AuditLog audit, StatementSigner auditSigner,
                   StatementVerifier verifier, Supplier<SignerTrust> peerAuditTrust, Parties parties, Clock clock) {
        this.tx = tx;
        this.store = store;
        this.audit = audit;
        this.auditSigner = auditSigner;
        this.verifier = verifier;
        this.peerAuditTrust = peerAuditTrust;
        this.parties = parties;
        this.clock = clock;
    }

    /** Checkpoints of the peer refused since this process started. */
    public long refusals() {
        return refusals.get();
    }

    /** Judges one checkpoint of the peer: a cosignature, or a refusal with its code. */
    public synchronized PeerProtocol.WitnessAnswer witness(PeerProtocol.WitnessRequest request) {
        if (request.checkpoint() == null) {
            throw new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, "checkpoint");
        }
        CheckpointContent cp = read(request.checkpoint());
        String origin = cp.gateway();
        Optional<Witnessed> last = tx.read(c -> store.lastCosigned(c, origin));
        if (last.isPresent()) {
            Witnessed w = last.get();
            if (cp.seq() == w.treeSize() && !cp.rootHash().equalsIgnoreCase(w.rootHash())) {
                return refuse(request.checkpoint(), cp, "tree size " + cp.seq() + " with root " + cp.rootHash()
                        + " against the cosigned root " + w.rootHash() + " of the same size: the log forked");
            }
            if (cp.seq() == w.treeSize()) {
                return new PeerProtocol.WitnessAnswer(w.cosignature(), null, null, null); // asked again: the same answer
            }
            // an older checkpoint than the one cosigned (a late retry, or a log rolled back): the
            // origin learns the cosigned size and judges which (Witnessing)
            if (cp.seq() < w.treeSize() || request.fromSize() != w.treeSize()) {
                return new PeerProtocol.WitnessAnswer(null, ErrorCode.WITNESS_OUT_OF_STEP.code(),
                        "the consistency proof starts at " + request.fromSize() + ", not at " + w.treeSize(), w.treeSize());
            }
            try {
                MerkleVerifier.verifyConsistency(w.treeSize(), cp.seq(), HEX.parseHex(w.rootHash()),
                        HEX.parseHex(cp.rootHash()), hexList(request.consistency()));
            } catch (ProofException | IllegalArgumentException e) {
                return refuse(request.checkpoint(), cp, "tree size " + cp.seq() + " does not extend the cosigned size "
                        + w.treeSize() + ": " + e.getMessage());
            }
        }
        return cosign(request.checkpoint(), cp);
    }

    private CheckpointContent read(byte[] cms) {
        CheckpointContent cp = CheckpointContent.verify(verifier, peerAuditTrust.get(), cms);
        if (!parties.peerName().equalsIgnoreCase(cp.gateway()) || parties.country().name().equals(cp.country())) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "a checkpoint to witness must be the peer gateway's own");
        }
        if (cp.rootHash() == null || cp.rootHash().length() != 64) {
            throw new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, "rootHash (a checkpoint with a Merkle root)");
        }
        return cp;
    }

    private PeerProtocol.WitnessAnswer cosign(byte[] cms, CheckpointContent cp) {
        Instant now = AuditHash.normalize(clock.instant());
        byte[] cosignature = auditSigner.sign(StatementType.AUDIT_COSIGNATURE, CanonicalJson.bytes(new CosignatureContent(
                parties.ownName(), parties.country().name(), cp.gateway(), cp.seq(), cp.rootHash(), sha256(cms), now)));
        tx.write(c -> {
            store.addWitnessed(c, new Witnessed(cp.gateway(), cp.seq(), cp.rootHash(), WitnessStore.COSIGNED, null, now,
                    cms, cosignature));
            audit.append(c, AuditEvent.action(AuditEventType.CHECKPOINT_WITNESSED, now, cp.gateway(),
                    "cosigned checkpoint of " + cp.gateway() + ": tree size " + cp.seq() + ", root " + cp.rootHash()
                            + ", checkpoint sha256 " + sha256(cms)));
            return null;
        });
        return new PeerProtocol.WitnessAnswer(cosignature, null, null, null);
    }

    private PeerProtocol.WitnessAnswer refuse(byte[] cms, CheckpointContent cp, String why) {
        Instant now = AuditHash.normalize(clock.instant());
        String detail = why.length() > 400 ? why.substring(0, 400) : why;
        tx.write(c -> {
            store.addWitnessed(c, new Witnessed(cp.gateway(), cp.seq(), cp.rootHash(), WitnessStore.REFUSED, detail, now,
                    cms, null));
            audit.append(c, AuditEvent.action(AuditEventType.WITNESS_REFUSED, now, cp.gateway(), null)
                    .withOutcome(AuditEvent.REJECTED, ErrorCode.CHECKPOINT_INCONSISTENT, "refused checkpoint of "
                            + cp.gateway() + " (checkpoint sha256 " + sha256(cms) + "): " + detail));
            return null;
        });
        refusals.incrementAndGet();
        LOG.error("refused to cosign the audit checkpoint of {}: {}; kept as evidence", cp.gateway(), detail);
        return new PeerProtocol.WitnessAnswer(null, ErrorCode.CHECKPOINT_INCONSISTENT.code(), detail, null);
    }

    static List<byte[]> hexList(List<String> hex) {
        return hex == null ? List.of() : hex.stream().map(HEX::parseHex).toList();
    }

    static String sha256(byte[] bytes) {
        return Fingerprints.hex(Fingerprints.sha256(bytes));
    }
}
