package org.puente.envelope.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JceKEMAuthEnvelopedRecipient;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.puente.envelope.TestPkis;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.WholeContentRecipient;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Puente's post-quantum code against the example structures the RFCs publish (made by other
 * implementations; see src/test/resources/published-examples/README.md), so that Puente and Bouncy
 * Castle cannot merely agree with each other.
 */
class PublishedExamplesTest {
    private static final AlgorithmProfile PQ = AlgorithmProfile.ML_KEM_768_ML_DSA_65;

    @Test
    void rfc_9882_ml_dsa_65_example_is_accepted_and_verified_by_the_post_quantum_profile() throws Exception {
        CMSSignedData signed = new CMSSignedData(pem("rfc9882-mldsa65-signed-attrs.pem"));
        X509Certificate signer = certificate("rfc9881-ML-DSA-65.crt");
        SignerInformation si = signed.getSignerInfos().getSigners().iterator().next();
        byte[] content = (byte[]) signed.getSignedContent().getContent();

        assertThat(PQ.isDigest(si.getDigestAlgorithmID())).as("SHA-512, parameters absent").isTrue();
        assertThat(PQ.isSignature(si.toASN1Structure().getDigestEncryptionAlgorithm())).as("id-ml-dsa-65").isTrue();
        assertThat(PQ.fitsSigner(signer.getPublicKey())).isTrue();
        assertThat(si.getSID().match(new X509CertificateHolder(signer.getEncoded()))).isTrue();
        byte[] digest = ASN1OctetString.getInstance(si.getSignedAttributes().get(CMSAttributes.messageDigest)
                .getAttrValues().getObjectAt(0)).getOctets();
        assertThat(digest).isEqualTo(MessageDigest.getInstance("SHA-512").digest(content));

        // Puente's own signature check, the one every envelope and statement goes through
        SignerVerification.verifySignature(si, signer, PQ, CryptoProviders.RECOMMENDED);

        // and it says bad_signature once the content is not what was signed
        byte[] other = content.clone();
        other[0] ^= 1;
        SignerInformation tampered = new CMSSignedData(new CMSProcessableByteArray(other), signed.getEncoded())
                .getSignerInfos().getSigners().iterator().next();
        assertThatThrownBy(() -> SignerVerification.verifySignature(tampered, signer, PQ, CryptoProviders.RECOMMENDED))
                .isInstanceOfSatisfying(PuenteException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_SIGNATURE));
    }

    @Test
    void rfc_9936_ml_kem_example_is_found_for_its_key_decapsulated_by_bouncy_castle_and_refused_as_ml_kem_512()
            throws Exception {
        CMSAuthEnvelopedData envelope = new CMSAuthEnvelopedData(pem("rfc9936-ML-KEM-512.cms"));
        PrivateKey key = KeyFactory.getInstance("ML-KEM", CryptoProviders.bouncyCastle())
                .generatePrivate(new PKCS8EncodedKeySpec(pem("rfc9936-ML-KEM-512-seed.priv")));
        X509Certificate recipientCertificate = certificate("rfc9936-ML-KEM-512.pem");
        RecipientInformation info = envelope.getRecipientInfos().getRecipients().iterator().next();
        byte[] plaintext = resource("rfc9936-plaintext.txt");

        // the Bouncy Castle KEM recipient that Puente's own extends recovers the RFC's plaintext
        assertThat(info.getContent(new JceKEMAuthEnvelopedRecipient(key).setProvider(CryptoProviders.bouncyCastle())))
                .isEqualTo(plaintext);

        // Puente finds the recipient (subject key identifier form) for the key it holds...
        var signing = TestPkis.of(PQ).mx().gatewaySigning();
        KeyMaterial keys = KeyMaterial.builder().signing(signing.key(), signing.chain())
                .encryption(key, List.of(recipientCertificate)).build();
        WholeContentRecipient recipient = keys.recipientFor(info, CryptoProviders.RECOMMENDED).orElseThrow();
        // ...and refuses ML-KEM-512 with AES-128 wrap: not the agreed ML-KEM-768 profile
        assertThatThrownBy(() -> info.getContent(recipient)).isInstanceOfSatisfying(PuenteException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_ALGORITHM);
            assertThat(e.getMessage()).contains("KEM 2.16.840.1.101.3.4.4.1");
        });
    }

    private static byte[] pem(String name) throws IOException {
        try (PemReader reader = new PemReader(new InputStreamReader(stream(name), StandardCharsets.US_ASCII))) {
            return reader.readPemObject().getContent();
        }
    }

    private static X509Certificate certificate(String name) throws Exception {
        try (InputStream in = stream(name)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream stream(String name) {
        InputStream in = PublishedExamplesTest.class.getResourceAsStream("/published-examples/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        return in;
    }
}
