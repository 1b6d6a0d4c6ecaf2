package org.puente.envelope;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.puente.envelope.keys.DecryptedContent;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.WholeContentRecipient;
import org.puente.envelope.signature.SignerVerification;
import org.puente.envelope.signature.VerifiedSignature;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;

/**
 * Opens envelopes from the peer gateway: size check, decrypt (AuthEnvelopedData, AES-256-GCM),
 * verify the inner SignedData, validate the signer against the peer's roots, check freshness and
 * compare the signed header with the routing header. Every failure is a {@link PuenteException}
 * carrying one code of the catalogue; nothing else escapes. Thread-safe.
 *
 * <p>Implementation note: nothing of the payload is returned before the GCM tag and the signature
 * have both verified. Memory: the envelope (held by the caller), one buffer in which the content
 * is decrypted in place, and the payload; docs/BENCHMARKS.md gives the measured peak.
 */
public final class EnvelopeOpener {
    /** Default payload limit: 64 MiB. */
    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 64L * 1024 * 1024;
    /** Room for certificates, headers and BER chunking above the payload limit. */
    public static final long OVERHEAD_ALLOWANCE = 1024L * 1024;

    private final Supplier<KeyMaterial> keys;
    private final SignerTrust trust;
    private final AlgorithmProfile profile;
    private final CryptoProviders providers;
    private final long maxPayloadBytes;
    private final DigestCalculatorProvider digests;

    public EnvelopeOpener(KeyMaterial keys, SignerTrust trust, AlgorithmProfile profile) {
        this(keys, trust, profile, CryptoProviders.RECOMMENDED, DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public EnvelopeOpener(KeyMaterial keys, SignerTrust trust, AlgorithmProfile profile, CryptoProviders providers,
                          long maxPayloadBytes) {
        this(fixed(keys), trust, profile, providers, maxPayloadBytes);
    }

    /** Opens with the encryption keys {@code keys} has in force at each envelope (key rotation). */
    public EnvelopeOpener(Supplier<KeyMaterial> keys, SignerTrust trust, AlgorithmProfile profile,
                          CryptoProviders providers, long maxPayloadBytes) {
        this.keys = Objects.requireNonNull(keys);
        this.trust = Objects.requireNonNull(trust);
        this.profile = Objects.requireNonNull(profile);
        this.providers = Objects.requireNonNull(providers);
        if (maxPayloadBytes <= 0 || maxPayloadBytes > Integer.MAX_VALUE - 2 * OVERHEAD_ALLOWANCE) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "envelope payload limit " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(providers.digest()).build();
        } catch (OperatorCreationException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "digest provider");
        }
    }

    /** Largest envelope accepted before any parsing. */
    public long maxEnvelopeBytes() {
        return maxPayloadBytes + OVERHEAD_ALLOWANCE;
    }

    public SignerTrust trust() {
        return trust;
    }

    /** Opens an envelope and requires its signed header to equal the routing header it arrived with. */
    public OpenedEnvelope open(byte[] envelope, EnvelopeHeader routingHeader) {
        return open(envelope, Objects.requireNonNull(routingHeader, "routingHeader"), true);
    }

    /** Opens an envelope that arrived without a routing header (tools); the signed header is returned. */
    public OpenedEnvelope open(byte[] envelope) {
        return open(envelope, null, false);
    }

    private OpenedEnvelope open(byte[] envelope, EnvelopeHeader routingHeader, boolean compare) {
        if (envelope == null || envelope.length == 0) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "empty input");
        }
        if (envelope.length > maxEnvelopeBytes()) {
            throw new PuenteException(ErrorCode.ENVELOPE_TOO_LARGE, envelope.length, maxEnvelopeBytes());
        }
        try {
            byte[] envelopeSha256 = Fingerprints.sha256(envelope);
            Plaintext signedData = decrypt(envelope);
            CMSSignedDataParser parser = signedDataParser(signedData);
            VerifiedSignature[] signature = new VerifiedSignature[1];
            PuenteMessageFormat.Decoded message = readMessage(parser, () -> signature[0] = verify(parser));
            EnvelopeHeader header = compare ? HeaderComparison.requireEqual(message.headerJson(), routingHeader)
                    : HeaderComparison.signedHeader(message.headerJson());
            return new OpenedEnvelope(header, message.payload(), signature[0].signer(), signature[0].path(),
                    signature[0].signingTime(), envelopeSha256, Fingerprints.sha256(message.payload()));
        } catch (PuenteException e) {
            throw e;
        } catch (RuntimeException e) {
            // Bouncy Castle reports some malformed structures with unchecked exceptions.
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "malformed structure");
        }
    }

    /** Decrypted bytes in a buffer sized to the envelope (the plaintext is never longer). */
    private record Plaintext(byte[] buffer, int length) {
    }

    private VerifiedSignature verify(CMSSignedDataParser parser) {
        try {
            return SignerVerification.verify(parser.getSignerInfos(), parser.getCertificates(), profile, providers,
                    trust);
        } catch (CMSException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "signer information cannot be read");
        }
    }

    private Plaintext decrypt(byte[] envelope) {
        ContentTypes.requireOuter(envelope);
        CMSAuthEnvelopedDataParser parser;
        try {
            parser = new CMSAuthEnvelopedDataParser(envelope);
        } catch (CMSException | IOException | RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "AuthEnvelopedData cannot be parsed");
        }
        ContentTypes.requireContentCipher(parser.getEncryptionAlgOID());
        KeyMaterial.ChosenRecipient choice = keys.get().chooseRecipient(parser.getRecipientInfos().getRecipients(), providers);
        RecipientInformation chosen = choice.info();
        WholeContentRecipient recipient = choice.recipient();
        ContentTypes.requireKeyEncryption(chosen, profile);
        CMSTypedStream plain;
        try {
            plain = chosen.getContentStream(recipient);
        } catch (PuenteException e) {
            throw e;
        } catch (CMSException | IOException | RuntimeException e) {
            throw new PuenteException(ErrorCode.DECRYPTION_FAILED, e);
        }
        if (!CMSObjectIdentifiers.data.equals(plain.getContentType())) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE,
                    "encrypted content type " + plain.getContentType() + " (id-data expected)");
        }
        try {
            DecryptedContent content = recipient.decryptAll(envelope.length);
            return new Plaintext(content.buffer(), content.length());
        } catch (IOException | RuntimeException e) {
            throw DecryptionFailures.classify(e);
        }
    }

    private CMSSignedDataParser signedDataParser(Plaintext signedData) {
        ASN1ObjectIdentifier type = ContentTypes.contentType(
                new ByteArrayInputStream(signedData.buffer(), 0, signedData.length()));
        if (!CMSObjectIdentifiers.signedData.equals(type)) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the decrypted content is not SignedData");
        }
        try {
            return new CMSSignedDataParser(digests,
                    new ByteArrayInputStream(signedData.buffer(), 0, signedData.length()));
        } catch (CMSException | RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "SignedData cannot be parsed");
        }
    }

    /**
     * Reads the PuenteMessage. A malformed one is reported only after the signature was checked,
     * so that any change to signed bytes is answered bad_signature, and envelope_unreadable means
     * the sender really signed something malformed.
     */
    private PuenteMessageFormat.Decoded readMessage(CMSSignedDataParser parser, Runnable verifySignature) {
        CMSTypedStream content = parser.getSignedContent();
        if (content == null) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the SignedData carries no content");
        }
        if (!PuenteOids.MESSAGE.equals(content.getContentType())) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE,
                    "content type " + content.getContentType() + " is not a Puente message");
        }
        PuenteMessageFormat.Decoded decoded = null;
        IOException malformed = null;
        try {
            decoded = PuenteMessageFormat.read(content.getContentStream(), maxPayloadBytes);
        } catch (PuenteMessageFormat.PayloadTooLarge e) {
            throw new PuenteException(ErrorCode.ENVELOPE_TOO_LARGE, e.declaredLength(), maxPayloadBytes);
        } catch (IOException e) {
            malformed = e;
        }
        try {
            content.drain();
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "SignedData content cannot be read");
        }
        verifySignature.run();
        if (malformed != null) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, malformed, "PuenteMessage: " + malformed.getMessage());
        }
        return decoded;
    }


    private static Supplier<KeyMaterial> fixed(KeyMaterial keys) {
        Objects.requireNonNull(keys);
        return () -> keys;
    }
}
