package org.puente.audit;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.puente.envelope.PuenteOids;
import org.puente.envelope.trust.SignerTrust;

/**
 * Which key may sign the audit log's evidence: the gateway's audit key, whose certificate carries
 * the gateway's name and the extended key usage id-puente-kp-audit-signing
 * ({@link PuenteOids#AUDIT_SIGNING}) and not emailProtection. Checkpoints, exports and archives
 * are signed with it; messages, receipts, notices and reconciliation reports keep the message key.
 *
 * <p>Implementation note: each verifier requires the purpose of its own key, so the two keys
 * cannot stand in for each other: a checkpoint signed with the message key is refused with
 * {@code wrong_key_usage} (and so is an envelope signed with the audit key, by the peer). Whoever
 * obtains the message key — the key used most, thousands of times a day — still cannot vouch for
 * a rewritten log.
 */
public final class AuditKeys {
    /** The extended key usage of an audit key. */
    public static final KeyPurposeId PURPOSE = KeyPurposeId.getInstance(PuenteOids.AUDIT_SIGNING);

    private AuditKeys() {
    }

    /** The gateway's own trust (roots, CRLs, name, clock), for audit evidence: the signer must be its audit key. */
    public static SignerTrust trust(SignerTrust gatewayTrust) {
        return gatewayTrust.forPurpose(PURPOSE);
    }

    /**
     * The same trust for evidence made before audit keys existed (export format 1 and checkpoints
     * without a predecessor), which the message key signed. Accepted only when an auditor asks
     * for it, and reported: whoever holds the message key could have made such evidence.
     */
    public static SignerTrust legacyTrust(SignerTrust gatewayTrust) {
        return gatewayTrust.forPurpose(KeyPurposeId.id_kp_emailProtection);
    }
}
