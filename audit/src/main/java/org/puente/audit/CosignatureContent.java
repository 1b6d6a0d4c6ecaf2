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
 * What a witness signs when it cosigns the other gateway's audit checkpoint (canonical JSON,
 * StatementType AUDIT_COSIGNATURE, the witness's audit key): "the log of {@code origin} had
 * {@code treeSize} entries with Merkle root {@code rootHash}; I checked that it extends every
 * checkpoint of that log I cosigned before (a consistency proof), and I hold the checkpoint whose
 * DER has SHA-256 {@code checkpointSha256}".
 *
 * <p>Implementation note: the documented CMS equivalent of a C2SP {@code tlog-cosignature}: the
 * same statement (origin, size, root, time), signed in the same CMS form as every other statement
 * of the gateways, so {@code openssl cms -verify} checks it like a receipt.
 *
 * @param witness          the witnessing gateway's name, as in its certificates
 * @param witnessCountry   its country
 * @param origin           the name of the gateway whose log this is
 * @param treeSize         the checkpoint's tree size (= the position of its last entry)
 * @param rootHash         the Merkle root of those entries (lower-case hex)
 * @param checkpointSha256 SHA-256 of the checkpoint's DER CMS, as received
 * @param cosignedAt       when the witness cosigned
 */
public record CosignatureContent(String witness, String witnessCountry, String origin, long treeSize, String rootHash,
                                 String checkpointSha256, Instant cosignedAt) {

    /**
     * Verifies a cosignature's signature against the witness's trust (its audit key) and returns
     * its content; {@code envelope_unreadable} if the content is not a cosignature.
     */
    public static CosignatureContent verify(StatementVerifier verifier, SignerTrust witnessTrust, byte[] cms) {
        VerifiedStatement s = verifier.verify(cms, StatementType.AUDIT_COSIGNATURE, witnessTrust);
        CosignatureContent content;
        try {
            content = CanonicalJson.read(s.content(), CosignatureContent.class);
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the cosignature content is not a cosignature");
        }
        if (content.origin() == null || content.rootHash() == null || content.cosignedAt() == null) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the cosignature lacks its origin, root or time");
        }
        return content;
    }

    /** Whether this cosigns exactly the checkpoint of {@code origin} at {@code treeSize} with {@code rootHash}. */
    public boolean covers(String origin, long treeSize, String rootHash) {
        return this.origin.equals(origin) && this.treeSize == treeSize && this.rootHash.equalsIgnoreCase(rootHash);
    }
}
