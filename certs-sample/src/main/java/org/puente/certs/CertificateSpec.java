package org.puente.certs;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

/**
 * Everything {@link CertificateIssuer} needs to issue one certificate, including odd ones for tests
 * (expired, not yet valid, wrong key usage, no extended key usage, chosen serial).
 *
 * @param subject           the subject name
 * @param keyPair           the subject's key pair (its public key goes into the certificate)
 * @param notBefore         start of validity (X.509 keeps whole seconds)
 * @param notAfter          end of validity
 * @param keyUsage          key usage bits; empty means no key usage extension at all
 * @param keyUsageCritical  whether the key usage extension is critical (RFC 5280 says it SHOULD be)
 * @param extendedKeyUsage  extended key usage purposes; empty means no EKU extension
 * @param extendedKeyUsageCritical whether the EKU extension is critical (RFC 3161 2.3 requires it of a
 *                          time-stamping authority; other sample leaves keep it non-critical)
 * @param subjectAltNames   subject alternative names; empty means no SAN extension
 * @param ca                whether basicConstraints says cA=TRUE
 * @param pathLength        the CA's pathLenConstraint, or -1 for none (ignored for end entities)
 * @param serial            the serial number, positive
 */
public record CertificateSpec(
        X500Principal subject,
        KeyPair keyPair,
        Instant notBefore,
        Instant notAfter,
        Set<KeyUsageBit> keyUsage,
        boolean keyUsageCritical,
        List<KeyPurpose> extendedKeyUsage,
        boolean extendedKeyUsageCritical,
        List<SubjectAltName> subjectAltNames,
        boolean ca,
        int pathLength,
        BigInteger serial) {

    /** How far back a default certificate starts, so a peer whose clock runs behind still accepts it. */
    public static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    public CertificateSpec {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(keyPair, "keyPair");
        notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
        notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
        keyUsage = keyUsage.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(keyUsage));
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
        subjectAltNames = List.copyOf(subjectAltNames);
        if (serial.signum() <= 0) {
            throw new IllegalArgumentException("a certificate serial must be positive (RFC 5280, 4.1.2.2)");
        }
    }

    /**
     * Starts a spec for an end-entity certificate with no extensions chosen yet, a random 128-bit
     * serial and a validity from one hour ago to three years from now.
     *
     * @param subject an RFC 2253 name such as {@code CN=CBP agency system, OU=CBP, O=..., C=US}
     */
    public static Builder builder(String subject, KeyPair keyPair) {
        return new Builder(new X500Principal(subject), keyPair);
    }

    /** A random positive serial of 128 bits (RFC 5280 allows up to 20 octets; CAs must not reuse them). */
    public static BigInteger randomSerial() {
        BigInteger serial;
        do {
            byte[] bytes = new byte[16];
            RANDOM.nextBytes(bytes);
            serial = new BigInteger(1, bytes);
        } while (serial.signum() == 0);
        return serial;
    }

    /** Collects the fields of a {@link CertificateSpec}; every setter returns the builder. */
    public static final class Builder {
        private final X500Principal subject;
        private final KeyPair keyPair;
        private Instant notBefore;
        private Instant notAfter;
        private Set<KeyUsageBit> keyUsage = EnumSet.noneOf(KeyUsageBit.class);
        private boolean keyUsageCritical = true;
        private List<KeyPurpose> extendedKeyUsage = List.of();
        private boolean extendedKeyUsageCritical;
        private List<SubjectAltName> subjectAltNames = List.of();
        private boolean ca;
        private int pathLength = -1;
        private BigInteger serial;

        private Builder(X500Principal subject, KeyPair keyPair) {
            this.subject = subject;
            this.keyPair = keyPair;
            Instant now = Instant.now();
            this.notBefore = now.minus(CLOCK_SKEW);
            this.notAfter = now.atZone(ZoneOffset.UTC).plusYears(3).toInstant();
        }

        public Builder validity(Instant from, Instant until) {
            this.notBefore = Objects.requireNonNull(from, "from");
            this.notAfter = Objects.requireNonNull(until, "until");
            return this;
        }

        public Builder keyUsage(KeyUsageBit... bits) {
            this.keyUsage = bits.length == 0 ? EnumSet.noneOf(KeyUsageBit.class) : EnumSet.copyOf(Arrays.asList(bits));
            return this;
        }

        public Builder keyUsageCritical(boolean critical) {
            this.keyUsageCritical = critical;
            return this;
        }

        public Builder extendedKeyUsage(KeyPurpose... purposes) {
            this.extendedKeyUsage = List.of(purposes);
            return this;
        }

        /** Marks the EKU extension critical (default non-critical), as RFC 3161 requires of a TSA. */
        public Builder extendedKeyUsageCritical(boolean critical) {
            this.extendedKeyUsageCritical = critical;
            return this;
        }

        public Builder subjectAltNames(SubjectAltName... names) {
            this.subjectAltNames = List.of(names);
            return this;
        }

        /** Makes this a CA certificate; {@code pathLength} -1 leaves the path length unconstrained. */
        public Builder ca(int pathLength) {
            this.ca = true;
            this.pathLength = pathLength;
            return this;
        }

        public Builder serial(BigInteger serial) {
            this.serial = Objects.requireNonNull(serial, "serial");
            return this;
        }

        public CertificateSpec build() {
            return new CertificateSpec(subject, keyPair, notBefore, notAfter, keyUsage, keyUsageCritical,
                    extendedKeyUsage, extendedKeyUsageCritical, subjectAltNames, ca, pathLength, serial == null ? randomSerial() : serial);
        }
    }
}
