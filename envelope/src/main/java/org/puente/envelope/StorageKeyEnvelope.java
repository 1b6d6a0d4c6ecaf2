package org.puente.envelope;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CertificateKeys;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.DecryptedContent;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.RecipientInfoFactory;
import org.puente.envelope.keys.WholeContentRecipient;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Seals a gateway's storage key (the AES-256 key that encrypts payloads at rest in its database)
 * for the gateway itself, and opens it again: the same sign-then-encrypt CMS as an envelope, with
 * the gateway's own certificates on both ends. Nothing here holds a private key: signing and
 * decryption are asked of {@link KeyMaterial}.
 *
 * <pre>
 * ContentInfo(AuthEnvelopedData, AES-256-GCM,
 *     one RecipientInfo per own encryption certificate (ECDH ephemeral-static or RSA-OAEP),
 *     encrypted content id-data = ContentInfo(SignedData,
 *         eContentType id-puente-storage-key, signed by the gateway's own signing key,
 *         eContent StorageKey ::= SEQUENCE { version INTEGER (1), keyId INTEGER, key OCTET STRING (32) }))
 * </pre>
 *
 * <p>Implementation note: encryption alone would not do. Anyone holding the gateway's encryption
 * <em>certificate</em> (it is public: the peer has it) can encrypt a key of their choosing to it,
 * so a database writer could replace the stored key with one they know, and read every payload
 * written afterwards. The signature by one of the gateway's own signing certificates, over a
 * content type used for nothing else, is what makes a stored key one the gateway made itself; the
 * key id inside it stops one stored key from standing in for another. The signer is matched
 * against the keystore's own signing certificates, not validated against a root and CRLs: the
 * keystore is the trust anchor here, and a start must not depend on a CRL being current.
 */
public final class StorageKeyEnvelope {
    /** Length of a storage key: AES-256. */
    public static final int KEY_BYTES = 32;
    private static final int VERSION = 1;
    /** A sealed key with a few recipients is 1–3 KiB; anything far larger is not one. */
    private static final int MAX_BYTES = 256 * 1024;

    private StorageKeyEnvelope() {
    }

    /**
     * A storage key taken out of its envelope.
     *
     * @param current whether the envelope is addressed to exactly the keystore's encryption
     *                certificates (those fitting the profile) and signed with its current signing
     *                certificate; when not (a key rotation), the caller seals the key again
     */
    public record Opened(int keyId, byte[] key, boolean current) {
    }

    /**
     * Seals {@code key} under {@code keyId}: signed with the current signing key, encrypted to every
     * encryption certificate of the keystore that fits the profile (during a rotation, old and new,
     * so that either key alone opens it).
     */
    public static byte[] seal(int keyId, byte[] key, KeyMaterial keys, AlgorithmProfile profile,
                              CryptoProviders providers, Clock clock) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a storage key is " + KEY_BYTES + " bytes");
        }
        byte[] content = encode(keyId, key);
        try {
            CMSSignedDataGenerator signer = new CMSSignedDataGenerator();
            signer.addSignerInfoGenerator(keys.signerInfoGenerator(profile, providers, clock.instant()));
            signer.addCertificates(new JcaCertStore(List.of(keys.signingCertificate())));
            byte[] signed = signer.generate(new CMSProcessableByteArray(PuenteOids.STORAGE_KEY, content), true)
                    .toASN1Structure().getEncoded(ASN1Encoding.DER);
            CMSAuthEnvelopedDataGenerator enveloper = new CMSAuthEnvelopedDataGenerator();
            for (X509Certificate recipient : recipients(keys, profile)) {
                enveloper.addRecipientInfoGenerator(RecipientInfoFactory.forRecipient(recipient, profile, providers));
            }
            OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(
                    AlgorithmProfile.CONTENT_CIPHER).setProvider(providers.contentCipher()).build();
            // DER, so that the stored form has one encoding and ends with the GCM tag
            return ASN1Primitive.fromByteArray(enveloper.generate(new CMSProcessableByteArray(signed), encryptor)
                    .getEncoded()).getEncoded(ASN1Encoding.DER);
        } catch (CMSException | IOException | CertificateEncodingException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "sealing the storage key failed: "
                    + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * Opens a sealed storage key with any of the keystore's encryption keys and checks that one of
     * its own signing certificates signed it, for {@code expectedKeyId}.
     *
     * @throws PuenteException {@code envelope_not_for_us} (no encryption key of the keystore is a
     *                         recipient), {@code decryption_failed}, {@code envelope_unreadable}
     *                         (structure, content type, key id), {@code unknown_signer} (not signed
     *                         by one of the keystore's signing certificates), {@code bad_signature}
     */
    public static Opened open(byte[] sealed, int expectedKeyId, KeyMaterial keys, AlgorithmProfile profile,
                              CryptoProviders providers) {
        Objects.requireNonNull(sealed, "sealed");
        if (sealed.length == 0 || sealed.length > MAX_BYTES) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "a sealed storage key of " + sealed.length + " bytes");
        }
        try {
            Decrypted decrypted = decrypt(sealed, keys, recipients(keys, profile), providers);
            byte[] content = null;
            try {
                CMSSignedData signed = parseSigned(decrypted.plaintext());
                SignerInformation si = verifiedSigner(signed, keys, providers);
                content = signedContent(signed);
                byte[] key = decode(content, expectedKeyId);
                boolean signedByCurrent = si.getSID().match(holder(keys.signingCertificate()));
                return new Opened(expectedKeyId, key, signedByCurrent && decrypted.toCurrentRecipients());
            } finally {
                Arrays.fill(decrypted.plaintext(), (byte) 0);
                if (content != null) {
                    Arrays.fill(content, (byte) 0);
                }
            }
        } catch (PuenteException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "malformed sealed storage key");
        }
    }

    private record Decrypted(byte[] plaintext, boolean toCurrentRecipients) {
    }

    private static Decrypted decrypt(byte[] sealed, KeyMaterial keys, List<X509Certificate> current,
                                     CryptoProviders providers) {
        ContentTypes.requireOuter(sealed);
        CMSAuthEnvelopedDataParser parser;
        try {
            parser = new CMSAuthEnvelopedDataParser(sealed);
        } catch (CMSException | IOException | RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "AuthEnvelopedData cannot be parsed");
        }
        ContentTypes.requireContentCipher(parser.getEncryptionAlgOID());
        List<RecipientInformation> infos = new ArrayList<>(parser.getRecipientInfos().getRecipients());
        KeyMaterial.ChosenRecipient choice = keys.chooseRecipient(infos, providers);
        RecipientInformation chosen = choice.info();
        WholeContentRecipient recipient = choice.recipient();
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
        DecryptedContent content;
        try {
            content = recipient.decryptAll(sealed.length);
        } catch (IOException | RuntimeException e) {
            throw DecryptionFailures.classify(e);
        }
        byte[] plaintext = Arrays.copyOf(content.buffer(), content.length());
        Arrays.fill(content.buffer(), (byte) 0);
        return new Decrypted(plaintext, addressedToExactly(infos, current));
    }

    /** Whether the recipients are exactly the given certificates (each named once, none missing). */
    private static boolean addressedToExactly(List<RecipientInformation> infos, List<X509Certificate> certificates) {
        if (infos.size() != certificates.size()) {
            return false;
        }
        for (X509Certificate c : certificates) {
            X509CertificateHolder h = holder(c);
            if (infos.stream().noneMatch(i -> i.getRID().match(h))) {
                return false;
            }
        }
        return true;
    }

    private static CMSSignedData parseSigned(byte[] plaintext) {
        if (!CMSObjectIdentifiers.signedData.equals(ContentTypes.contentType(new ByteArrayInputStream(plaintext)))) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the decrypted content is not SignedData");
        }
        CMSSignedData signed;
        try {
            signed = new CMSSignedData(plaintext);
        } catch (CMSException | RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "SignedData cannot be parsed");
        }
        if (!PuenteOids.STORAGE_KEY.getId().equals(signed.getSignedContentTypeOID())) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE,
                    "content type " + signed.getSignedContentTypeOID() + " is not a storage key");
        }
        return signed;
    }

    /** The single signer, one of the keystore's own signing certificates, whose signature verifies. */
    private static SignerInformation verifiedSigner(CMSSignedData signed, KeyMaterial keys, CryptoProviders providers) {
        List<SignerInformation> signers = new ArrayList<>(signed.getSignerInfos().getSigners());
        if (signers.size() != 1) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, signers.size() + " signers (exactly one expected)");
        }
        SignerInformation si = signers.get(0);
        X509Certificate signer = keys.signingCertificates().stream()
                .filter(c -> si.getSID().match(holder(c)))
                .findFirst()
                .orElseThrow(() -> new PuenteException(ErrorCode.UNKNOWN_SIGNER));
        boolean ok;
        try {
            ok = si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(providers.asymmetric())
                    .build(CertificateKeys.of(signer, providers.asymmetric())));
        } catch (OperatorCreationException e) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM, e, "signature verifier for the signer key");
        } catch (CMSException | RuntimeException e) {
            throw new PuenteException(ErrorCode.BAD_SIGNATURE, e);
        }
        if (!ok) {
            throw new PuenteException(ErrorCode.BAD_SIGNATURE);
        }
        return si;
    }

    private static byte[] signedContent(CMSSignedData signed) {
        Object content = signed.getSignedContent() == null ? null : signed.getSignedContent().getContent();
        if (!(content instanceof byte[] bytes)) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the SignedData carries no content");
        }
        return bytes;
    }

    private static List<X509Certificate> recipients(KeyMaterial keys, AlgorithmProfile profile) {
        List<X509Certificate> fitting = keys.encryptionCertificates().stream()
                .filter(c -> profile.fitsRecipient(c.getPublicKey())).toList();
        if (fitting.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "no encryption certificate of the keystore fits the profile " + profile.cliName());
        }
        return fitting;
    }

    private static byte[] encode(int keyId, byte[] key) {
        try {
            return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(VERSION),
                    new ASN1Integer(keyId), new DEROctetString(key)}).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "encoding the storage key");
        }
    }

    /** DER only, version 1, the expected key id, 32 key bytes, nothing after. */
    private static byte[] decode(byte[] content, int expectedKeyId) {
        ASN1Sequence seq;
        try {
            ASN1Primitive p = ASN1Primitive.fromByteArray(content);
            seq = ASN1Sequence.getInstance(p);
            if (!Arrays.equals(seq.getEncoded(ASN1Encoding.DER), content) || seq.size() != 3) {
                throw new IllegalArgumentException("not a DER StorageKey");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "the storage key content is malformed");
        }
        BigInteger version = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
        BigInteger keyId = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
        byte[] key = ASN1OctetString.getInstance(seq.getObjectAt(2)).getOctets();
        if (!BigInteger.valueOf(VERSION).equals(version)) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "storage key version " + version);
        }
        if (!BigInteger.valueOf(expectedKeyId).equals(keyId)) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE,
                    "the sealed key is storage key " + keyId + ", stored as key " + expectedKeyId);
        }
        if (key.length != KEY_BYTES) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "a storage key of " + key.length + " bytes");
        }
        return key;
    }

    private static X509CertificateHolder holder(X509Certificate c) {
        try {
            return new JcaX509CertificateHolder(c);
        } catch (CertificateEncodingException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "a keystore certificate cannot be encoded");
        }
    }
}
