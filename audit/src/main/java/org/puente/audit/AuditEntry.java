package org.puente.audit;

import org.puente.model.Country;

/**
 * One entry of the hash-chained audit log: an event at its position in the chain, with the hash
 * of the entry before it and its own hash over the canonical encoding ({@link AuditHash}).
 *
 * @param seq      position in the chain, from 1, without gaps
 * @param country  the gateway that wrote it
 * @param prevHash hash of entry {@code seq - 1} ({@link AuditHash#GENESIS} before the first)
 * @param hash     this entry's hash as stored
 */
public record AuditEntry(long seq, Country country, AuditEvent event, String prevHash, String hash) {

    /** The hash this entry should have, recomputed from its fields and its stored previous hash. */
    public String recomputedHash() {
        return AuditHash.hash(prevHash, seq, country, event);
    }
}
