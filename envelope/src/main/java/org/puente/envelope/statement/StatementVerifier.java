package org.puente.envelope.statement;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessable;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.signature.SignerVerification;
import org.puente.envelope.signature.VerifiedSignature;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Verifies signed statements and detached signatures. The trust is a parameter: the peer's roots
 * for receipts, notices and pings; the gateway's own roots for its audit checkpoints. Thread-safe.
 *
 * <p>A gateway verifies under its configured profile. An auditor's tools verify evidence of either
 * country, whose gateways may use different profiles: {@link #anyAgreedProfile()} takes the profile
 * from the SignerInfo's signature algorithm and then holds the digest and the signer's key to it, so
 * nothing outside the agreed profiles is accepted and no part may be weaker than its profile.
 */
public final class StatementVerifier {
    /** Largest encapsulated statement accepted (reconciliation reports are the big ones). */
    public static final int MAX_STATEMENT_BYTES = 16 * 1024 * 1024;

    private final AlgorithmProfile profile;
    private final CryptoProviders providers;
    private final DigestCalculatorProvider digests;

    public StatementVerifier(AlgorithmProfile profile) {
        this(profile, CryptoProviders.RECOMMENDED);
    }

    public StatementVerifier(AlgorithmProfile profile, CryptoProviders providers) {
        this(providers, Objects.requireNonNull(profile));
    }

    /** A verifier that accepts any agreed profile, the one the signature names (offline audit tools). */
    public static StatementVerifier anyAgreedProfile() {
        return new StatementVerifier(CryptoProviders.RECOMMENDED, null);
    }

    private StatementVerifier(CryptoProviders providers, AlgorithmProfile profile) {
        this.profile = profile;
        this.providers = Objects.requireNonNull(providers);
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(providers.digest()).build();
        } catch (OperatorCreationException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "digest provider");
        }
    }

    /** Verifies an encapsulated statement of the expected type and returns its content. */
    public VerifiedStatement verify(byte[] cms, StatementType expected, SignerTrust trust) {
        if (cms == null || cms.length == 0) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "empty statement");
        }
        if (cms.length > MAX_STATEMENT_BYTES) {
            throw new PuenteException(ErrorCode.ENVELOPE_TOO_LARGE, cms.length, MAX_STATEMENT_BYTES);
        }
        CMSSignedData signed;
        try {
            signed = new CMSSignedData(cms);
        } catch (CMSException | RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "not a CMS SignedData");
        }
        if (!expected.contentType().equals(signed.getSignedContentType())) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "statement type "
                    + StatementType.fromContentType(signed.getSignedContentType()).map(Enum::name)
                    .orElse(signed.getSignedContentTypeOID()) + " where " + expected + " was expected");
        }
        CMSProcessable content = signed.getSignedContent();
        if (content == null || !(content.getContent() instanceof byte[] bytes)) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the statement carries no content");
        }
        try {
            VerifiedSignature v = SignerVerification.verify(signed.getSignerInfos(), signed.getCertificates(),
                    profileOf(signed.getSignerInfos()), providers, trust);
            return new VerifiedStatement(expected, bytes.clone(), v.signer(), v.path(), v.signingTime());
        } catch (PuenteException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "malformed statement");
        }
    }

    /** The configured profile, or (any agreed profile) the one the single SignerInfo's signature algorithm names. */
    private AlgorithmProfile profileOf(SignerInformationStore signers) {
        if (profile != null) {
            return profile;
        }
        if (signers == null || signers.size() != 1) {
            return AlgorithmProfile.DEFAULT; // SignerVerification refuses anything but exactly one signer
        }
        AlgorithmIdentifier alg = signers.getSigners().iterator().next().toASN1Structure().getDigestEncryptionAlgorithm();
        return AlgorithmProfile.ofSignature(alg).orElseThrow(() -> new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM,
                "signature " + AlgorithmProfile.describe(alg)));
    }

    /** Verifies a detached signature made by {@link StatementSigner#signDetached} over {@code data}. */
    public VerifiedSignature verifyDetached(InputStream data, byte[] signature, SignerTrust trust) {
        if (signature == null || signature.length == 0 || signature.length > MAX_STATEMENT_BYTES) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "no usable signature");
        }
        try {
            CMSSignedDataParser parser = new CMSSignedDataParser(digests, new CMSTypedStream(data), signature);
            parser.getSignedContent().drain();
            return SignerVerification.verify(parser.getSignerInfos(), parser.getCertificates(),
                    profileOf(parser.getSignerInfos()), providers, trust);
        } catch (PuenteException e) {
            throw e;
        } catch (CMSException | IOException | RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "detached signature cannot be read");
        }
    }
}
