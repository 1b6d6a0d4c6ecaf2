package org.puente.audit;

import java.time.Instant;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.statement.VerifiedStatement;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * What a gateway signs in an audit checkpoint (canonical JSON, StatementType AUDIT_CHECKPOINT):
 * "entry {@code seq} of my log hashes to {@code hash}".
 *
 * @param gateway the gateway name, as in its signing certificate
 * @param country its country
 * @param seq     the chain position
 * @param hash    the hash of that entry (lower-case hex)
 * @param at      when the checkpoint was made
 */
public record CheckpointContent(String gateway, String country, long seq, String hash, Instant at) {

    /**
     * Verifies a stored checkpoint's signature and that it says what its row says; returns the
     * signed content. Throws the signature's refusal code, or {@code envelope_unreadable} for
     * content that does not match.
     */
    public static CheckpointContent verify(StatementVerifier verifier, SignerTrust trust, StoredCheckpoint cp) {
        VerifiedStatement s = verifier.verify(cp.statement(), StatementType.AUDIT_CHECKPOINT, trust);
        CheckpointContent content;
        try {
            content = CanonicalJson.read(s.content(), CheckpointContent.class);
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the checkpoint content is not a checkpoint");
        }
        if (content.seq() != cp.seq() || !content.hash().equalsIgnoreCase(cp.hash())) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the signed checkpoint is for entry " + content.seq()
                    + " with hash " + content.hash() + ", not what it is stored as (entry " + cp.seq() + ", hash " + cp.hash() + ")");
        }
        return content;
    }
}
