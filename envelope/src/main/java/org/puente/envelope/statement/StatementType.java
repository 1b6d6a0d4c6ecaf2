package org.puente.envelope.statement;

import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.puente.envelope.PuenteOids;

/** The kinds of signed statements a gateway issues; each is its own CMS eContentType. */
public enum StatementType {
    /** A signed receipt or signed rejection of one envelope. */
    RECEIPT(PuenteOids.RECEIPT),
    /** Notice that a message reached (or could not reach) the receiving agency. */
    DELIVERY_NOTICE(PuenteOids.DELIVERY_NOTICE),
    /** A signed liveness probe (and its answer) between the gateways. */
    PING(PuenteOids.PING),
    /** A checkpoint of the hash-chained audit log, signed by the gateway that keeps the log. */
    AUDIT_CHECKPOINT(PuenteOids.AUDIT_CHECKPOINT),
    /** A reconciliation report exchanged between the gateways. */
    RECONCILIATION(PuenteOids.RECONCILIATION),
    /** A gateway's new encryption certificate announced to its peer (and the peer's answer). */
    KEY_ANNOUNCEMENT(PuenteOids.KEY_ANNOUNCEMENT),
    /**
     * A gateway's cosignature of the other gateway's audit checkpoint: "I verified that this
     * checkpoint extends every one of yours I cosigned before" (signed with the witness's audit key).
     */
    AUDIT_COSIGNATURE(PuenteOids.AUDIT_COSIGNATURE);

    private final ASN1ObjectIdentifier contentType;

    StatementType(ASN1ObjectIdentifier contentType) {
        this.contentType = contentType;
    }

    public ASN1ObjectIdentifier contentType() {
        return contentType;
    }

    public static Optional<StatementType> fromContentType(ASN1ObjectIdentifier oid) {
        return Arrays.stream(values()).filter(t -> t.contentType.equals(oid)).findFirst();
    }
}
