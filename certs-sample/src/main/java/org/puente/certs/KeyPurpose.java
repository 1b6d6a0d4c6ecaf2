package org.puente.certs;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** An extended key usage purpose (RFC 5280, 4.2.1.12) by its OID, so callers need no BC import. */
public enum KeyPurpose {
    SERVER_AUTH("1.3.6.1.5.5.7.3.1"),
    CLIENT_AUTH("1.3.6.1.5.5.7.3.2"),
    CODE_SIGNING("1.3.6.1.5.5.7.3.3"),
    /** What S/MIME and {@code openssl cms -verify} expect of a CMS signer or recipient by default. */
    EMAIL_PROTECTION("1.3.6.1.5.5.7.3.4"),
    TIME_STAMPING("1.3.6.1.5.5.7.3.8"),
    /**
     * Puente's own purpose for a gateway's audit key (id-puente-kp-audit-signing, under the
     * Puente arc of {@code PuenteOids}): it signs audit checkpoints and exports, and nothing else.
     */
    PUENTE_AUDIT_SIGNING("2.25.201954181695708100048508026735669489929.2.1"),
    OCSP_SIGNING("1.3.6.1.5.5.7.3.9"),
    ANY("2.5.29.37.0");

    private final String oid;

    KeyPurpose(String oid) {
        this.oid = oid;
    }

    public String oid() {
        return oid;
    }

    /** The purposes a certificate lists that this enum knows; empty when it has no EKU extension. */
    public static Set<KeyPurpose> of(X509Certificate certificate) {
        List<String> oids;
        try {
            oids = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw PkiFailures.internal("reading the extended key usage", e);
        }
        if (oids == null) {
            return Collections.emptySet();
        }
        Set<KeyPurpose> present = EnumSet.noneOf(KeyPurpose.class);
        for (KeyPurpose purpose : values()) {
            if (oids.contains(purpose.oid)) {
                present.add(purpose);
            }
        }
        return Collections.unmodifiableSet(present);
    }
}
