package org.puente.envelope.signature;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.crypto.SigningTimes;
import org.puente.envelope.trust.CertificateNames;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.ValidatedSigner;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Verifies the single SignerInfo of a Puente SignedData (envelope content, receipt, statement)
 * and applies the trust rules to its signer, in a fixed order so that every failure has one code:
 * signer count and algorithms (unsupported_algorithm), signed attributes, signer certificate
 * (unknown_signer), signature (bad_signature), trust (untrusted_chain, expired, revoked, key usage,
 * name) and last the freshness of the signing time (stale/future timestamp).
 */
public final class SignerVerification {
    /** Stateless after construction, and costly to build (~40 µs): one for every verification. */
    private static final DefaultCMSSignatureAlgorithmNameGenerator SIGNATURE_NAMES = new DefaultCMSSignatureAlgorithmNameGenerator();
    private static final DefaultSignatureAlgorithmIdentifierFinder SIGNATURE_ALGORITHMS = new DefaultSignatureAlgorithmIdentifierFinder();
    /**
     * Parsed certificates by their exact encoding (holder equality is encoding equality): the peer
     * sends the same three with every envelope. Bounded like {@link VerificationKeys}.
     */
    private static final int MAX_CERTIFICATES = 256;
    private static final java.util.concurrent.ConcurrentHashMap<X509CertificateHolder, X509Certificate> PARSED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private SignerVerification() {
    }

    /**
     * @param signers      the SignerInfos (the content must already have been read through, for streamed parsers)
     * @param certificates the certificates carried by the SignedData
     */
    public static VerifiedSignature verify(SignerInformationStore signers, Store<X509CertificateHolder> certificates,
                                           AlgorithmProfile profile, CryptoProviders providers, SignerTrust trust) {
        if (signers == null || signers.size() != 1) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "exactly one signer is required");
        }
        SignerInformation si = signers.getSigners().iterator().next();
        if (!profile.isDigest(si.getDigestAlgorithmID())) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM,
                    "digest " + AlgorithmProfile.describe(si.getDigestAlgorithmID()));
        }
        if (!profile.isSignature(si.toASN1Structure().getDigestEncryptionAlgorithm())) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM,
                    "signature " + AlgorithmProfile.describe(si.toASN1Structure().getDigestEncryptionAlgorithm()));
        }
        Instant signingTime = signingTime(si);
        X509CertificateHolder holder = signerCertificate(si, certificates);
        X509Certificate signer = toX509(holder);
        if (!profile.fitsSigner(signer.getPublicKey())) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM,
                    "signer key of \"" + CertificateNames.display(signer) + "\" for profile " + profile.cliName());
        }
        verifySignature(si, signer, profile, providers);
        ValidatedSigner validated = trust.validate(signer, all(certificates), signingTime);
        trust.checkSigningTime(signingTime);
        return new VerifiedSignature(signer, validated.path(), signingTime);
    }

    private static Instant signingTime(SignerInformation si) {
        AttributeTable attrs = si.getSignedAttributes();
        if (attrs == null) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the signature has no signed attributes");
        }
        Attribute time = attrs.get(CMSAttributes.signingTime);
        if (time == null || time.getAttrValues().size() != 1) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the signature has no signing time");
        }
        try {
            return SigningTimes.decode(time.getAttrValues().getObjectAt(0));
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the signing time cannot be read");
        }
    }

    @SuppressWarnings("unchecked")
    private static X509CertificateHolder signerCertificate(SignerInformation si, Store<X509CertificateHolder> certs) {
        Collection<X509CertificateHolder> matches = certs == null ? List.of() : certs.getMatches(si.getSID());
        if (matches.isEmpty()) {
            throw new PuenteException(ErrorCode.UNKNOWN_SIGNER);
        }
        return matches.iterator().next();
    }

    /**
     * Implementation note: the verifier is built from the public key, not the certificate, so Bouncy
     * Castle does not judge the certificate's validity itself; the trust rules do, with their own
     * error codes (expired, not yet valid).
     */
    static void verifySignature(SignerInformation si, X509Certificate signer, AlgorithmProfile profile,
                                        CryptoProviders providers) {
        java.security.PublicKey key = VerificationKeys.of(signer, providers);
        boolean ok;
        try {
            SignerInformationVerifier verifier = new SignerInformationVerifier(SIGNATURE_NAMES, SIGNATURE_ALGORITHMS,
                    new SingleVerifierProvider(key, profile, providers),
                    new JcaDigestCalculatorProviderBuilder().setProvider(providers.digest()).build());
            ok = si.verify(verifier);
        } catch (OperatorCreationException e) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM, e, "signature verifier for the signer key");
        } catch (CMSException | RuntimeException e) {
            throw new PuenteException(ErrorCode.BAD_SIGNATURE, e);
        }
        if (!ok) {
            throw new PuenteException(ErrorCode.BAD_SIGNATURE);
        }
    }

    private static X509Certificate toX509(X509CertificateHolder holder) {
        try {
            return parse(holder);
        } catch (CertificateException e) {
            throw new PuenteException(ErrorCode.UNKNOWN_SIGNER, e);
        }
    }

    private static X509Certificate parse(X509CertificateHolder holder) throws CertificateException {
        X509Certificate cached = PARSED.get(holder);
        if (cached != null) {
            return cached;
        }
        X509Certificate parsed = new JcaX509CertificateConverter().getCertificate(holder);
        if (PARSED.size() >= MAX_CERTIFICATES) {
            PARSED.clear();
        }
        PARSED.put(holder, parsed);
        return parsed;
    }

    @SuppressWarnings("unchecked")
    private static List<X509Certificate> all(Store<X509CertificateHolder> certs) {
        List<X509Certificate> out = new ArrayList<>();
        for (X509CertificateHolder h : certs.getMatches(null)) {
            try {
                out.add(parse(h));
            } catch (CertificateException e) {
                throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "a certificate in the signature cannot be read");
            }
        }
        return out;
    }
}
