package org.puente.envelope.trust;

import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Who may sign what Puente accepts: the trusted roots (for envelopes and receipts: the OTHER
 * country's roots; for the gateway's own audit checkpoints: its own), the CRLs, the expected
 * signer name, the required key usages, the clock and the freshness window of the signing time.
 *
 * <p>Validation of a signer: (1) a path from the signer to a trusted root, validated by PKIX at
 * the current time with revocation against the CRLs; (2) every certificate of the path valid at
 * the signing time too; (3) key usage digitalSignature and extended key usage emailProtection on
 * the signer; (4) the signer's common name equals the expected gateway name. Successful PKIX
 * validations are cached per signer certificate for a bounded time; the cache is dropped when the
 * CRLs are reloaded. Thread-safe.
 */
public final class SignerTrust {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(10);
    public static final int DEFAULT_CACHE_SIZE = 256;

    private final Set<TrustAnchor> anchors;
    private final String expectedSignerName;
    private final KeyPurposeId requiredPurpose;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration maxFutureSkew;
    private final boolean revocation;
    private final ValidationCache cache;
    private volatile List<X509CRL> crls;

    private SignerTrust(Builder b) {
        if (b.roots.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "no trusted root certificate configured");
        }
        if (b.expectedSignerName == null && !b.anySignerName) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "the expected signer (peer gateway) name is not configured");
        }
        if (b.revocation && b.crls.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "revocation checking is on but no CRL is configured");
        }
        this.anchors = b.roots.stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toUnmodifiableSet());
        this.expectedSignerName = b.expectedSignerName;
        this.requiredPurpose = b.requiredPurpose;
        this.clock = b.clock;
        this.maxAge = b.maxAge;
        this.maxFutureSkew = b.maxFutureSkew;
        this.revocation = b.revocation;
        this.crls = List.copyOf(b.crls);
        this.cache = new ValidationCache(b.cacheTtl, b.cacheSize);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Replaces the CRLs (an operator's "reload CRLs"); cached validations are dropped. Refuses, and
     * keeps the CRLs in force, what {@link #checkCrls} refuses.
     */
    public void reloadCrls(Collection<X509CRL> newCrls) {
        checkCrls(newCrls);
        this.crls = List.copyOf(newCrls);
        cache.clear();
    }

    /**
     * Whether {@link #reloadCrls} would take these CRLs, without taking them: a caller that swaps
     * several trust objects at once checks every one first, so that it swaps all or none.
     */
    public void checkCrls(Collection<X509CRL> newCrls) {
        if (revocation && newCrls.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "refusing to reload an empty CRL set");
        }
    }

    /**
     * Validates a recipient's encryption certificate (the peer gateway's, before anything is sealed
     * to it) like a signer: a path to one of these roots validated by PKIX now, with revocation
     * checked against {@code candidateCrls} (the CRLs in force, or the ones about to be loaded);
     * the key usage for receiving envelopes; and the expected gateway name.
     *
     * @param certificate the encryption certificate
     * @param supplied    the certificates that came with it (its CA certificates)
     * @param candidateCrls the CRLs to check revocation against
     * @return the validated path; throws with {@code certificate_revoked}, {@code certificate_expired},
     *     {@code certificate_not_yet_valid}, {@code untrusted_chain}, {@code wrong_key_usage} or
     *     {@code unexpected_signer_name}
     */
    public ValidatedSigner validateRecipient(X509Certificate certificate, Collection<X509Certificate> supplied,
                                             Collection<X509CRL> candidateCrls) {
        Instant now = clock.instant();
        List<X509Certificate> path = PathValidation.assemble(certificate, supplied, anchors);
        X509Certificate root = PathValidation.validate(path, anchors, candidateCrls, revocation, now);
        PathValidation.checkValidityAt(path, root, now);
        KeyUsageRules.requireEncryptionUsage(certificate);
        if (expectedSignerName != null) {
            List<String> cns = CertificateNames.commonNames(certificate);
            if (cns.size() != 1 || !cns.get(0).equalsIgnoreCase(expectedSignerName)) {
                throw new PuenteException(ErrorCode.UNEXPECTED_SIGNER_NAME, CertificateNames.display(certificate),
                        expectedSignerName);
            }
        }
        return new ValidatedSigner(certificate, List.copyOf(path), root);
    }

    public Clock clock() {
        return clock;
    }

    /** The trusted roots, e.g. for a TLS trust manager over the same roots. */
    public List<X509Certificate> roots() {
        return anchors.stream().map(TrustAnchor::getTrustedCert).toList();
    }

    public List<X509CRL> crls() {
        return crls;
    }

    /**
     * Applies every trust rule to a signer.
     *
     * @param signer      the signer's certificate
     * @param supplied    the certificates that came with the signature (intermediates, maybe the root)
     * @param signingTime the signed signing-time attribute
     */
    public ValidatedSigner validate(X509Certificate signer, Collection<X509Certificate> supplied, Instant signingTime) {
        Instant now = clock.instant();
        ValidatedSigner validated = cache.get(signer, now);
        if (validated == null) {
            List<X509Certificate> path = PathValidation.assemble(signer, supplied, anchors);
            X509Certificate root = PathValidation.validate(path, anchors, crls, revocation, now);
            validated = new ValidatedSigner(signer, List.copyOf(path), root);
            cache.put(validated, now, crls);
        } else {
            PathValidation.checkValidityAt(validated.path(), validated.root(), now);
        }
        PathValidation.checkValidityAt(validated.path(), validated.root(), signingTime);
        KeyUsageRules.requireSigningUsage(signer, requiredPurpose);
        if (expectedSignerName != null) {
            List<String> cns = CertificateNames.commonNames(signer);
            if (cns.size() != 1 || !cns.get(0).equalsIgnoreCase(expectedSignerName)) {
                throw new PuenteException(ErrorCode.UNEXPECTED_SIGNER_NAME, CertificateNames.display(signer),
                        expectedSignerName);
            }
        }
        return validated;
    }

    /** Refuses a signing time older than the maximum age or further in the future than the allowed skew. */
    public void checkSigningTime(Instant signingTime) {
        Instant now = clock.instant();
        if (signingTime.isAfter(now.plus(maxFutureSkew))) {
            throw new PuenteException(ErrorCode.FUTURE_TIMESTAMP, DateTimeFormatter.ISO_INSTANT.format(signingTime));
        }
        if (maxAge != null && signingTime.isBefore(now.minus(maxAge))) {
            throw new PuenteException(ErrorCode.STALE_TIMESTAMP, DateTimeFormatter.ISO_INSTANT.format(signingTime),
                    maxAge.toString());
        }
    }

    /**
     * The same trust — roots, the CRLs in force now, expected name, clock and signing-time window —
     * for signatures of another purpose: the gateway's audit key signs checkpoints and exports
     * under the Puente audit purpose and never under emailProtection, so that neither of the
     * gateway's two signing keys can stand in for the other. The copy has its own CRLs and cache.
     */
    public SignerTrust forPurpose(KeyPurposeId purpose) {
        Builder b = new Builder();
        b.roots.addAll(roots());
        b.crls.addAll(crls);
        b.expectedSignerName = expectedSignerName;
        b.anySignerName = expectedSignerName == null;
        b.requiredPurpose = Objects.requireNonNull(purpose);
        b.clock = clock;
        b.maxAge = maxAge;
        b.maxFutureSkew = maxFutureSkew;
        b.revocation = revocation;
        return new SignerTrust(b);
    }

    /** The extended key usage a signer must carry. */
    public KeyPurposeId requiredPurpose() {
        return requiredPurpose;
    }

    /** Builds a {@link SignerTrust}; roots and the expected name are required. */
    public static final class Builder {
        private final List<X509Certificate> roots = new ArrayList<>();
        private final List<X509CRL> crls = new ArrayList<>();
        private String expectedSignerName;
        private boolean anySignerName;
        private KeyPurposeId requiredPurpose = KeyPurposeId.id_kp_emailProtection;
        private Clock clock = Clock.systemUTC();
        private Duration maxAge = DEFAULT_MAX_AGE;
        private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;
        private boolean revocation = true;
        private Duration cacheTtl = DEFAULT_CACHE_TTL;
        private int cacheSize = DEFAULT_CACHE_SIZE;

        private Builder() {
        }

        public Builder roots(Collection<X509Certificate> trustedRoots) {
            roots.addAll(trustedRoots);
            return this;
        }

        public Builder crls(Collection<X509CRL> revocationLists) {
            crls.addAll(revocationLists);
            return this;
        }

        /** The gateway name expected as the signer's common name, e.g. {@code gateway.mx.puente.sample}. */
        public Builder expectedSignerName(String name) {
            this.expectedSignerName = Objects.requireNonNull(name);
            return this;
        }

        /** Accepts any signer name that chains to the roots (tools only, e.g. {@code puente envelope open}). */
        public Builder anySignerName() {
            this.anySignerName = true;
            return this;
        }

        /** The extended key usage the signer must carry (default emailProtection: messages and statements). */
        public Builder requiredPurpose(KeyPurposeId purpose) {
            this.requiredPurpose = Objects.requireNonNull(purpose);
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /** Oldest signing time accepted, relative to now (default 7 days). */
        public Builder maxAge(Duration value) {
            this.maxAge = Objects.requireNonNull(value);
            return this;
        }

        /** No maximum age: for statements verified long after signing (audit checkpoints). */
        public Builder noAgeLimit() {
            this.maxAge = null;
            return this;
        }

        /** How far in the future a signing time may be (clock skew, default 5 minutes). */
        public Builder maxFutureSkew(Duration value) {
            this.maxFutureSkew = Objects.requireNonNull(value);
            return this;
        }

        /** Turns CRL checking off (tools only, when no CRL is at hand); on by default. */
        public Builder revocationChecking(boolean on) {
            this.revocation = on;
            return this;
        }

        public Builder validationCache(Duration ttl, int size) {
            this.cacheTtl = Objects.requireNonNull(ttl);
            this.cacheSize = size;
            return this;
        }

        public SignerTrust build() {
            return new SignerTrust(this);
        }
    }
}
