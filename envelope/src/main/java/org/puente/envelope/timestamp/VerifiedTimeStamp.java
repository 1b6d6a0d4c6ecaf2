package org.puente.envelope.timestamp;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A time-stamp token that passed every check of {@link TimeStampVerifier}.
 *
 * @param genTime        when the TSA says it saw the digest
 * @param tsaSubject     the TSA certificate's subject, RFC 2253 (as {@code X500Principal#getName()} prints it)
 * @param serialNumber   the token's serial number (unique per TSA)
 * @param policy         the TSA policy OID the token was issued under
 * @param tsaCertificate the TSA certificate that signed it
 */
public record VerifiedTimeStamp(Instant genTime, String tsaSubject, BigInteger serialNumber, String policy,
                                X509Certificate tsaCertificate) {
}
