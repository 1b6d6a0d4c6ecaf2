package org.puente.audit;

import java.time.Duration;
import java.time.Instant;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.statement.VerifiedStatement;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * What a gateway signs in an audit checkpoint (canonical JSON, StatementType AUDIT_CHECKPOINT,
 * the gateway's audit key): "entry {@code seq} of my log hashes to {@code hash}; my checkpoint
 * before this one was for entry {@code previousSeq}, hashing to {@code previousHash}; I sign one
 * every {@code interval}".
 *
 * <p>Implementation note: naming the predecessor makes the checkpoints a chain of their own. A
 * deleted checkpoint is then missing from that chain (its successor still names it), not just
 * absent; deleting every checkpoint leaves entries that no checkpoint vouched for within the
 * signed interval, which the verifier reports too. The predecessor is named by the entry it vouched
 * for (position and hash): that is all a verifier needs to find it, in the live table, an export or
 * an archive.
 *
 * @param gateway      the gateway name, as in its certificates
 * @param country      its country
 * @param seq          the chain position
 * @param hash         the hash of that entry (lower-case hex)
 * @param at           when the checkpoint was made
 * @param previousSeq  the position of the gateway's checkpoint before this one, 0 for its first
 *                     checkpoint; null only in checkpoints made before checkpoints were chained
 *                     (legacy, signed with the message key)
 * @param previousHash the hash that checkpoint vouched for ({@link AuditHash#GENESIS} for the first)
 * @param interval     the checkpoint interval the gateway was configured with when it signed
 * @param rootHash     the RFC 9162 Merkle root of entries 1 to {@code seq} (the tree size), lower-case hex;
 *                     null in checkpoints made before the tree (docs/audit.md, "The Merkle tree")
 */
public record CheckpointContent(String gateway, String country, long seq, String hash, Instant at, Long previousSeq,
                                String previousHash, Duration interval, String rootHash) {

    /** A checkpoint made before checkpoints named their predecessor (and before the audit key). */
    public boolean legacy() {
        return previousSeq == null;
    }

    /**
     * Verifies a stored checkpoint's signature and that it says what its row says; returns the
     * signed content. Throws the signature's refusal code, or {@code envelope_unreadable} for
     * content that does not match.
     */
    public static CheckpointContent verify(StatementVerifier verifier, SignerTrust trust, StoredCheckpoint cp) {
        CheckpointContent content = verify(verifier, trust, cp.statement());
        if (content.seq() != cp.seq() || content.hash() == null || !content.hash().equalsIgnoreCase(cp.hash())) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the signed checkpoint is for entry " + content.seq()
                    + " with hash " + content.hash() + ", not what it is stored as (entry " + cp.seq() + ", hash " + cp.hash() + ")");
        }
        if (content.at() == null || (!content.legacy() && content.previousHash() == null)) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the signed checkpoint lacks its time or its predecessor");
        }
        return content;
    }

    /**
     * Verifies a checkpoint's signature and returns its content, however it is stored (a witness
     * receives it alone); throws the signature's refusal code, or {@code envelope_unreadable}.
     */
    public static CheckpointContent verify(StatementVerifier verifier, SignerTrust trust, byte[] cms) {
        VerifiedStatement s = verifier.verify(cms, StatementType.AUDIT_CHECKPOINT, trust);
        try {
            return CanonicalJson.read(s.content(), CheckpointContent.class);
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the checkpoint content is not a checkpoint");
        }
    }
}
