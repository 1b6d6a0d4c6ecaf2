package org.puente.certs;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a CRL: which serial was revoked, when, and why.
 *
 * @param serial    the revoked certificate's serial number
 * @param revokedAt the revocation date
 * @param reason    the CRL reason code
 */
public record Revocation(BigInteger serial, Instant revokedAt, Reason reason) {

    /** The CRL reason codes of RFC 5280, 5.3.1, that a test may want. */
    public enum Reason {
        UNSPECIFIED(0),
        KEY_COMPROMISE(1),
        CA_COMPROMISE(2),
        AFFILIATION_CHANGED(3),
        SUPERSEDED(4),
        CESSATION_OF_OPERATION(5),
        CERTIFICATE_HOLD(6);

        private final int code;

        Reason(int code) {
            this.code = code;
        }

        /** The CRLReason enumerated value. */
        public int code() {
            return code;
        }
    }

    public Revocation {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(reason, "reason");
    }

    public static Revocation of(X509Certificate certificate, Instant revokedAt, Reason reason) {
        return new Revocation(certificate.getSerialNumber(), revokedAt, reason);
    }
}
