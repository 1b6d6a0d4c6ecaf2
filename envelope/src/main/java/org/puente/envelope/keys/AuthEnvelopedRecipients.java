package org.puente.envelope.keys;

import java.io.IOException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Provider;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.KEMRecipientInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KEMRecipientInformation;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientOperator;
import org.bouncycastle.cms.jcajce.JceKEMRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipient;
import org.puente.envelope.crypto.CryptoProviders;

/**
 * Recipients for AuthEnvelopedData: Bouncy Castle unwraps the content key (ECDH, RSA-OAEP or ML-KEM with
 * the asymmetric provider); {@link GcmContentDecryptor} decrypts the content with the content provider.
 */
final class AuthEnvelopedRecipients {
    private AuthEnvelopedRecipients() {
    }

    /**
     * The recipient that opens {@code info} with one of our encryption keys, by the kind of
     * RecipientInfo; empty for a kind we do not open.
     *
     * @param token the provider holding {@code key} in a PKCS#11 token, or {@code null}
     * @param certificate the key's certificate (a token key has no encoding to read its curve from)
     */
    static Optional<WholeContentRecipient> of(RecipientInformation info, PrivateKey key, Provider token,
                                              X509CertificateHolder certificate, CryptoProviders providers) {
        if (info instanceof KeyAgreeRecipientInformation) {
            KeyAgree agree = new KeyAgree(key, token == null ? providers.asymmetric() : TokenKeyAgreement.provider(token),
                    providers.asymmetric(), providers.contentCipher());
            if (token != null) {
                agree.setPrivateKeyAlgorithmIdentifier(certificate.getSubjectPublicKeyInfo().getAlgorithm());
            }
            return Optional.of(agree);
        }
        if (info instanceof KeyTransRecipientInformation) {
            return Optional.of(new KeyTrans(key, providers.asymmetric(), providers.contentCipher()));
        }
        if (info instanceof KEMRecipientInformation) {
            return Optional.of(new Kem(key, providers.asymmetric(), providers.contentCipher()));
        }
        return Optional.empty();
    }

    /** Ephemeral-static ECDH key agreement (kari). */
    static final class KeyAgree extends JceKeyAgreeRecipient implements WholeContentRecipient {
        private final Content content;

        /**
         * @param agreement the key agreement (with the KDF): Bouncy Castle, or a token's ECDH
         * @param unwrapping the AES key unwrap of the content key (Bouncy Castle)
         */
        KeyAgree(PrivateKey key, Provider agreement, Provider unwrapping, Provider contentProvider) {
            super(key);
            setProvider(agreement);
            setUnwrappingProvider(unwrapping);
            this.content = new Content(contentProvider);
        }

        @Override
        public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryptionAlgorithm,
                                                      AlgorithmIdentifier contentEncryptionAlgorithm,
                                                      SubjectPublicKeyInfo senderPublicKey,
                                                      ASN1OctetString userKeyingMaterial, byte[] encryptedContentKey)
                throws CMSException {
            return content.operator(extractSecretKey(keyEncryptionAlgorithm, contentEncryptionAlgorithm, senderPublicKey,
                    userKeyingMaterial, encryptedContentKey), contentEncryptionAlgorithm);
        }

        @Override
        public DecryptedContent decryptAll(int maxBytes) throws IOException {
            return content.decryptAll(maxBytes);
        }
    }

    /** RSA-OAEP key transport (ktri). */
    static final class KeyTrans extends JceKeyTransRecipient implements WholeContentRecipient {
        private final Content content;

        KeyTrans(PrivateKey key, Provider asymmetric, Provider contentProvider) {
            super(key);
            setProvider(asymmetric);
            this.content = new Content(contentProvider);
        }

        @Override
        public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryptionAlgorithm,
                                                      AlgorithmIdentifier contentEncryptionAlgorithm,
                                                      byte[] encryptedContentKey) throws CMSException {
            return content.operator(extractSecretKey(keyEncryptionAlgorithm, contentEncryptionAlgorithm,
                    encryptedContentKey), contentEncryptionAlgorithm);
        }

        @Override
        public DecryptedContent decryptAll(int maxBytes) throws IOException {
            return content.decryptAll(maxBytes);
        }
    }

    /**
     * ML-KEM encapsulation (KEMRecipientInfo, RFC 9629). Bouncy Castle hands over the whole
     * KEMRecipientInfo as the key-encryption parameters; its KDF, key-encryption-key length and
     * wrap are checked against the profile here, before the private key is used.
     */
    static final class Kem extends JceKEMRecipient implements WholeContentRecipient {
        private final Content content;

        Kem(PrivateKey key, Provider asymmetric, Provider contentProvider) {
            super(key);
            setProvider(asymmetric);
            this.content = new Content(contentProvider);
        }

        @Override
        public RecipientOperator getRecipientOperator(AlgorithmIdentifier keyEncryptionAlgorithm,
                                                      AlgorithmIdentifier contentEncryptionAlgorithm,
                                                      byte[] encryptedContentKey) throws CMSException {
            KemRecipientRules.require(KEMRecipientInfo.getInstance(keyEncryptionAlgorithm.getParameters()));
            return content.operator(extractSecretKey(keyEncryptionAlgorithm, contentEncryptionAlgorithm,
                    encryptedContentKey), contentEncryptionAlgorithm);
        }

        @Override
        public DecryptedContent decryptAll(int maxBytes) throws IOException {
            return content.decryptAll(maxBytes);
        }
    }

    /** The content side every recipient shares: the unwrapped key goes to a GCM decryptor. */
    private static final class Content {
        private final Provider provider;
        private GcmContentDecryptor decryptor;

        Content(Provider provider) {
            this.provider = provider;
        }

        RecipientOperator operator(Key contentKey, AlgorithmIdentifier contentEncryptionAlgorithm) throws CMSException {
            decryptor = GcmContentDecryptor.create(contentKey, contentEncryptionAlgorithm, provider);
            return new RecipientOperator(decryptor);
        }

        DecryptedContent decryptAll(int maxBytes) throws IOException {
            if (decryptor == null) {
                throw new IOException("no content key was unwrapped");
            }
            return decryptor.decryptAll(maxBytes);
        }
    }
}
