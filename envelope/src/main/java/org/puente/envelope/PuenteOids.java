package org.puente.envelope;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * Every object identifier Puente itself defines, in one place.
 *
 * <p>Implementation note: the arc is a UUID-derived OID under {@code 2.25} (ITU-T X.667 / ISO/IEC
 * 9834-8): it is globally unique by construction and needs no registration, unlike an IANA
 * Private Enterprise Number that nobody has applied for yet. If the two administrations later
 * register a PEN, the arc can move to {@code 1.3.6.1.4.1.<PEN>}; every OID below would change
 * together, which is a new protocol version for both gateways.
 *
 * <pre>
 * puente                 2.25.201954181695708100048508026735669489929
 * puente-content-types   puente.1
 *   id-puente-message          puente.1.1   PuenteMessage (header + payload), inside the envelope
 *   id-puente-receipt          puente.1.2   signed receipt or signed rejection
 *   id-puente-delivery-notice  puente.1.3   notice that a message reached the receiving agency
 *   id-puente-ping             puente.1.4   signed liveness probe between gateways
 *   id-puente-audit-checkpoint puente.1.5   signed audit-chain checkpoint
 *   id-puente-reconciliation   puente.1.6   signed reconciliation report
 *   id-puente-storage-key      puente.1.7   the key of payloads at rest, sealed by a gateway for itself
 *   id-puente-key-announcement puente.1.8   a gateway's new encryption certificate, announced to its peer
 * puente-key-purposes    puente.2
 *   id-puente-kp-audit-signing puente.2.1   extended key usage of a gateway's audit key: it signs
 *                                           audit checkpoints and exports, and nothing else
 * puente-tsa-policies    puente.3
 *   id-puente-tsa-policy-sample puente.3.1  the policy of the SAMPLE time-stamping authority (tests and
 *                                           demos only: its key is public, its clock is the host's)
 * </pre>
 */
public final class PuenteOids {
    /** The Puente arc: {@code 2.25.} + the integer value of UUID 97eef5e9-5ecd-4687-828b-4698913b3109. */
    public static final ASN1ObjectIdentifier PUENTE =
            new ASN1ObjectIdentifier("2.25.201954181695708100048508026735669489929");
    public static final ASN1ObjectIdentifier CONTENT_TYPES = PUENTE.branch("1");
    public static final ASN1ObjectIdentifier MESSAGE = CONTENT_TYPES.branch("1");
    public static final ASN1ObjectIdentifier RECEIPT = CONTENT_TYPES.branch("2");
    public static final ASN1ObjectIdentifier DELIVERY_NOTICE = CONTENT_TYPES.branch("3");
    public static final ASN1ObjectIdentifier PING = CONTENT_TYPES.branch("4");
    public static final ASN1ObjectIdentifier AUDIT_CHECKPOINT = CONTENT_TYPES.branch("5");
    public static final ASN1ObjectIdentifier RECONCILIATION = CONTENT_TYPES.branch("6");
    /** A gateway's storage key (payloads at rest), signed and sealed for the gateway itself. */
    public static final ASN1ObjectIdentifier STORAGE_KEY = CONTENT_TYPES.branch("7");
    /** A gateway's new encryption certificate announced to its peer after a key rotation, and the peer's answer. */
    public static final ASN1ObjectIdentifier KEY_ANNOUNCEMENT = CONTENT_TYPES.branch("8");
    /** A witness's cosignature of the other gateway's audit checkpoint (cross-witnessing, docs/audit.md). */
    public static final ASN1ObjectIdentifier AUDIT_COSIGNATURE = CONTENT_TYPES.branch("9");
    public static final ASN1ObjectIdentifier KEY_PURPOSES = PUENTE.branch("2");
    /**
     * The audit key's extended key usage. A gateway has two signing keys: the message key
     * (emailProtection: envelopes, receipts, notices, reconciliation reports) and the audit key
     * (this purpose only: checkpoints, exports, archives). Each verifier requires its own purpose,
     * so a checkpoint made with the message key, or a message made with the audit key, is refused.
     */
    public static final ASN1ObjectIdentifier AUDIT_SIGNING = KEY_PURPOSES.branch("1");
    public static final ASN1ObjectIdentifier TSA_POLICIES = PUENTE.branch("3");
    /**
     * The RFC 3161 policy of {@code SampleTimeStampAuthority}: a token under it says only that the
     * sample TSA saw the digest at its host's clock; a real TSA brings its own policy OID.
     */
    public static final ASN1ObjectIdentifier SAMPLE_TSA_POLICY = TSA_POLICIES.branch("1");

    private PuenteOids() {
    }
}
