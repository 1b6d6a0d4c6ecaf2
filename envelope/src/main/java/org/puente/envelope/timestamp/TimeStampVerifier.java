package org.puente.envelope.timestamp;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.timestamp.TimeStampException.Reason;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Verifies an RFC 3161 time-stamp token over a SHA-256 digest: that it is one, that its signer is a
 * time-stamping authority of a trusted PKI, that the signature holds, and that it stamps the
 * expected digest. Thread-safe.
 *
 * <p>Checks, in order, each with its own {@link Reason}: the token parses and carries its TSA
 * certificate ({@code INVALID_TOKEN}); that certificate has keyUsage digitalSignature and a
 * critical extendedKeyUsage that is id-kp-timeStamping and nothing else, RFC 3161 2.3
 * ({@code NOT_A_TSA}); it chains to a trust anchor and every certificate of the path is valid at
 * the token's genTime ({@code UNTRUSTED_TSA}); the CMS signature and the signing-certificate
 * attribute verify ({@code INVALID_TOKEN}); the imprint is SHA-256 of the expected digest
 * ({@code MISMATCH}).
 *
 * <p>Implementation note: the path is validated by the project's {@link SignerTrust} (the same
 * PKIX rules as envelope signers) with purpose id-kp-timeStamping, any signer name, and no age
 * limit on genTime. PKIX runs at the verifier's clock, so a token whose TSA certificate has since
 * expired no longer verifies: keeping old checkpoints verifiable past the TSA certificate's life
 * needs re-stamping (RFC 4998 style), which is not done here. Revocation is checked only when CRLs
 * are given; {@link #TimeStampVerifier(Collection)} turns it off (no CRL fetching from here).
 */
public final class TimeStampVerifier {
    private static final int SHA256_LENGTH = 32;
    private static final int DIGITAL_SIGNATURE = 0;

    private final SignerTrust trust;

    /** Trusts TSAs that chain to these anchors; no revocation check; the system clock. */
    public TimeStampVerifier(Collection<X509Certificate> trustAnchors) {
        this(trustAnchors, List.of(), Clock.systemUTC());
    }

    /**
     * @param trustAnchors the roots a TSA certificate must chain to
     * @param crls         CRLs to check the TSA's path against; empty turns revocation checking off
     * @param clock        the time PKIX validates at
     */
    public TimeStampVerifier(Collection<X509Certificate> trustAnchors, Collection<X509CRL> crls, Clock clock) {
        this.trust = SignerTrust.builder().roots(trustAnchors).crls(crls).revocationChecking(!crls.isEmpty())
                .anySignerName().requiredPurpose(KeyPurposeId.id_kp_timeStamping).noAgeLimit().clock(clock).build();
    }

    /** One-off verification against the given anchors (no revocation check). */
    public static VerifiedTimeStamp verify(byte[] tokenDer, byte[] expectedSha256, Collection<X509Certificate> trustAnchors) {
        return new TimeStampVerifier(trustAnchors).verify(tokenDer, expectedSha256);
    }

    /**
     * @param tokenDer       the DER TimeStampToken (a CMS ContentInfo), as {@link TimeStampClient#stamp} returns it
     * @param expectedSha256 the SHA-256 digest the token must stamp
     * @return genTime, TSA subject, serial and policy
     * @throws TimeStampException with the reason of the first check that failed
     */
    public VerifiedTimeStamp verify(byte[] tokenDer, byte[] expectedSha256) {
        return verify(parse(tokenDer), expectedSha256);
    }

    VerifiedTimeStamp verify(TimeStampToken token, byte[] expectedSha256) {
        requireSha256(expectedSha256);
        TimeStampTokenInfo info = token.getTimeStampInfo();
        Instant genTime = info.getGenTime().toInstant();
        X509CertificateHolder signerHolder = signerCertificate(token);
        X509Certificate signer = toX509(signerHolder);
        requireTsaUsage(signer);
        try {
            trust.validate(signer, allCertificates(token), genTime);
        } catch (PuenteException e) {
            throw new TimeStampException(e.errorCode() == ErrorCode.WRONG_KEY_USAGE ? Reason.NOT_A_TSA
                    : Reason.UNTRUSTED_TSA, e);
        }
        try {
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider(CryptoProviders.bouncyCastle())
                    .build(signerHolder));
        } catch (TSPException | OperatorCreationException | CertificateException e) {
            throw new TimeStampException(Reason.INVALID_TOKEN, "the token's signature does not verify with the TSA"
                    + " certificate (" + e.getMessage() + ")", e);
        }
        if (!NISTObjectIdentifiers.id_sha256.equals(info.getMessageImprintAlgOID())) {
            throw new TimeStampException(Reason.MISMATCH,
                    "the token stamps a " + info.getMessageImprintAlgOID() + " imprint, not SHA-256");
        }
        if (!MessageDigest.isEqual(info.getMessageImprintDigest(), expectedSha256)) {
            throw new TimeStampException(Reason.MISMATCH, "the token stamps another digest than the expected one");
        }
        return new VerifiedTimeStamp(genTime, signer.getSubjectX500Principal().getName(), info.getSerialNumber(),
                info.getPolicy().getId(), signer);
    }

    static TimeStampToken parse(byte[] tokenDer) {
        try {
            return new TimeStampToken(new CMSSignedData(tokenDer));
        } catch (CMSException | TSPException | IOException | RuntimeException e) {
            throw new TimeStampException(Reason.INVALID_TOKEN, "not an RFC 3161 time-stamp token", e);
        }
    }

    static void requireSha256(byte[] digest) {
        if (digest == null || digest.length != SHA256_LENGTH) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
        }
    }

    private static X509CertificateHolder signerCertificate(TimeStampToken token) {
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = token.getCertificates().getMatches(token.getSID());
        if (matches.isEmpty()) {
            throw new TimeStampException(Reason.INVALID_TOKEN,
                    "the token does not carry the TSA certificate (a request must set certReq)");
        }
        return matches.iterator().next();
    }

    /** RFC 3161 2.3: exactly one extended key usage, id-kp-timeStamping, in a critical extension. */
    private static void requireTsaUsage(X509Certificate cert) {
        String who = cert.getSubjectX500Principal().getName();
        boolean[] ku = cert.getKeyUsage();
        if (ku == null || ku.length <= DIGITAL_SIGNATURE || !ku[DIGITAL_SIGNATURE]) {
            throw notATsa(who, "key usage digitalSignature is required of a time-stamping authority");
        }
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            eku = null;
        }
        if (eku == null || !eku.equals(List.of(KeyPurposeId.id_kp_timeStamping.getId()))) {
            throw notATsa(who, "extended key usage id-kp-timeStamping, and only it, is required of a"
                    + " time-stamping authority (found " + eku + ")");
        }
        if (!cert.getCriticalExtensionOIDs().contains(Extension.extendedKeyUsage.getId())) {
            throw notATsa(who, "the extended key usage of a time-stamping authority must be critical");
        }
    }

    private static TimeStampException notATsa(String who, String why) {
        return new TimeStampException(Reason.NOT_A_TSA, new PuenteException(ErrorCode.WRONG_KEY_USAGE, who, why));
    }

    private static List<X509Certificate> allCertificates(TimeStampToken token) {
        List<X509Certificate> out = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> all = token.getCertificates().getMatches(null);
        for (X509CertificateHolder holder : all) {
            out.add(toX509(holder));
        }
        return out;
    }

    private static X509Certificate toX509(X509CertificateHolder holder) {
        try {
            // the JDK's parser, like the trust anchors, so that PKIX compares like with like
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new TimeStampException(Reason.INVALID_TOKEN, "a certificate in the token cannot be parsed", e);
        }
    }
}
