package org.puente.routes.audit;

import java.time.Instant;

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
}
