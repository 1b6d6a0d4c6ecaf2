package org.puente.audit;

import java.time.Instant;

/**
 * One signed checkpoint of the audit chain, as the checkpoint table and the export files keep it:
 * the store, the exports and the verifiers all pass it around, so it lives with the log's model.
 *
 * @param seq       the chain position it vouches for
 * @param hash      the hash of that entry, as the gateway signed it
 * @param signedAt  when it was signed
 * @param statement the DER CMS SignedData (StatementType AUDIT_CHECKPOINT)
 */
public record StoredCheckpoint(long seq, String hash, Instant signedAt, byte[] statement) {
}
