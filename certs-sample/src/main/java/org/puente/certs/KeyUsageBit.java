package org.puente.certs;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One bit of the X.509 key usage extension (RFC 5280, 4.2.1.3), with its index in
 * {@link X509Certificate#getKeyUsage()} and its Bouncy Castle mask, so callers need no BC import.
 */
public enum KeyUsageBit {
    DIGITAL_SIGNATURE(0, 1 << 7),
    NON_REPUDIATION(1, 1 << 6),
    KEY_ENCIPHERMENT(2, 1 << 5),
    DATA_ENCIPHERMENT(3, 1 << 4),
    KEY_AGREEMENT(4, 1 << 3),
    KEY_CERT_SIGN(5, 1 << 2),
    CRL_SIGN(6, 1 << 1),
    ENCIPHER_ONLY(7, 1),
    DECIPHER_ONLY(8, 1 << 15);

    private final int jdkIndex;
    private final int bouncyCastleMask;

    KeyUsageBit(int jdkIndex, int bouncyCastleMask) {
        this.jdkIndex = jdkIndex;
        this.bouncyCastleMask = bouncyCastleMask;
    }

    int bouncyCastleMask() {
        return bouncyCastleMask;
    }

    /** The bits a certificate asserts; empty when it has no key usage extension. */
    public static Set<KeyUsageBit> of(X509Certificate certificate) {
        boolean[] bits = certificate.getKeyUsage();
        if (bits == null) {
            return Collections.emptySet();
        }
        Set<KeyUsageBit> present = EnumSet.noneOf(KeyUsageBit.class);
        for (KeyUsageBit bit : values()) {
            if (bit.jdkIndex < bits.length && bits[bit.jdkIndex]) {
                present.add(bit);
            }
        }
        return Collections.unmodifiableSet(present);
    }
}
