package org.puente.audit.verify;

import org.puente.envelope.Fingerprints;
import java.util.HexFormat;
import java.util.List;
import org.puente.audit.CheckpointContent;
import org.puente.audit.CosignatureContent;
import org.puente.audit.export.ExportFormat;
import org.puente.audit.merkle.MerkleHash;
import org.puente.audit.merkle.MerkleVerifier;
import org.puente.audit.merkle.ProofException;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.error.PuenteException;

/**
 * Checks an export's witness line ({@link ExportFormat.WitnessLine}) against what the export's
 * verified chain ends with: the gateway's checkpoint is genuine (its audit key) and names the
 * tree size and root, the peer's cosignature is genuine (the peer's audit key) and cosigns exactly
 * that checkpoint, and the export's last entry hash is in that tree. Together with the chain check
 * this proves the exported entries are the ones the peer saw when it cosigned: a log rewritten
 * after the cosignature cannot produce an inclusion proof into the cosigned root.
 */
public final class WitnessCheck {
    private static final HexFormat HEX = HexFormat.of();

    /** A failed check, with what failed. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    /** The trusts: the gateway's audit key, and the peer's (the witness). */
    public record Trusts(StatementVerifier verifier, SignerTrust gatewayAudit, SignerTrust peerAudit) {
    }

    private WitnessCheck() {
    }

    /**
     * Checks the line for an export of {@code gateway} whose verified chain ends at {@code lastSeq}
     * with {@code lastHash}; returns the verified cosignature.
     */
    public static CosignatureContent check(ExportFormat.WitnessLine w, String gateway, long lastSeq, String lastHash,
                                           Trusts trusts) throws Failure {
        if (w.seq() != lastSeq || w.entryHash() == null || !w.entryHash().equalsIgnoreCase(String.valueOf(lastHash))) {
            throw new Failure("the witness line proves entry " + w.seq() + " with hash " + w.entryHash()
                    + ", not the export's last entry " + lastSeq + " with hash " + lastHash);
        }
        CheckpointContent cp;
        try {
            cp = CheckpointContent.verify(trusts.verifier(), trusts.gatewayAudit(), w.checkpoint());
        } catch (PuenteException e) {
            throw new Failure("the checkpoint is not the gateway's: " + e.errorCode().code() + ": " + e.getMessage());
        }
        if (cp.seq() != w.treeSize() || cp.rootHash() == null || !cp.rootHash().equalsIgnoreCase(w.rootHash())
                || !gateway.equalsIgnoreCase(cp.gateway())) {
            throw new Failure("the signed checkpoint is for " + cp.gateway() + ", tree size " + cp.seq() + ", root "
                    + cp.rootHash() + ": not the line's tree size " + w.treeSize() + ", root " + w.rootHash());
        }
        CosignatureContent cosigned;
        try {
            cosigned = CosignatureContent.verify(trusts.verifier(), trusts.peerAudit(), w.cosignature());
        } catch (PuenteException e) {
            throw new Failure("the cosignature is not the peer's: " + e.errorCode().code() + ": " + e.getMessage());
        }
        if (!cosigned.covers(cp.gateway(), cp.seq(), cp.rootHash()) || !sha256(w.checkpoint()).equalsIgnoreCase(
                String.valueOf(cosigned.checkpointSha256()))) {
            throw new Failure("the peer cosigned " + cosigned.origin() + " tree size " + cosigned.treeSize() + " root "
                    + cosigned.rootHash() + " (checkpoint sha256 " + cosigned.checkpointSha256() + "), not this checkpoint");
        }
        try {
            List<byte[]> path = w.path() == null ? List.of() : w.path().stream().map(HEX::parseHex).toList();
            MerkleVerifier.verifyInclusion(lastSeq - 1, cp.seq(), MerkleHash.leafHash(HEX.parseHex(lastHash)), path,
                    HEX.parseHex(cp.rootHash()));
        } catch (ProofException | IllegalArgumentException e) {
            throw new Failure("entry " + lastSeq + " is not in the tree the peer cosigned: " + e.getMessage());
        }
        return cosigned;
    }

    static String sha256(byte[] bytes) {
        return Fingerprints.hex(Fingerprints.sha256(bytes));
    }
}
