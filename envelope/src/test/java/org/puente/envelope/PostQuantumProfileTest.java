package org.puente.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.KEMRecipientInfo;
import org.bouncycastle.asn1.cms.OtherRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.Test;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The post-quantum profile's own refusals: what a KEMRecipientInfo must say, the ML-DSA signature,
 * and no way back to a classical profile once a gateway opens with the post-quantum one.
 */
class PostQuantumProfileTest {
    private static final AlgorithmProfile PQ = AlgorithmProfile.ML_KEM_768_ML_DSA_65;
    private static final Gateways G = Gateways.of(PQ);
    private static final byte[] PAYLOAD = "{\"trip\":\"T-PQ-1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Test
    void the_envelope_carries_ml_kem_768_hkdf_sha256_aes256_wrap_and_an_ml_dsa_65_signature_over_sha512() {
        EnvelopeHeader header = Gateways.header();
        byte[] envelope = G.usSealer().seal(header, PAYLOAD, G.mxEncryption()).bytes();

        KEMRecipientInfo kem = kemRecipient(envelope);
        assertThat(kem.getKem().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_alg_ml_kem_768);
        assertThat(kem.getKem().getParameters()).as("RFC 9936: parameters absent").isNull();
        assertThat(kem.getKdf().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_alg_hkdf_with_sha256);
        assertThat(kem.getKekLength()).isEqualTo(32);
        assertThat(kem.getWrap().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_aes256_wrap);
        assertThat(kem.getKemct().getOctets()).as("ML-KEM-768 ciphertext").hasSize(1088);

        SignerInformation signer = new CMSSignedDataAccess(Surgery.decrypt(envelope, G.mxKeys)).signer();
        assertThat(signer.getDigestAlgOID()).isEqualTo(NISTObjectIdentifiers.id_sha512.getId());
        assertThat(signer.getEncryptionAlgOID()).isEqualTo(NISTObjectIdentifiers.id_ml_dsa_65.getId());
        assertThat(signer.getSignature()).as("ML-DSA-65 signature").hasSize(3309);
        assertThat(G.mxOpener().open(envelope, header).payload()).isEqualTo(PAYLOAD);
    }

    @Test
    void a_kem_recipient_with_another_kdf_wrap_or_key_length_is_refused_before_decapsulation() {
        EnvelopeHeader header = Gateways.header();
        byte[] envelope = G.usSealer().seal(header, PAYLOAD, G.mxEncryption()).bytes();

        assertCode(() -> G.mxOpener().open(withKem(envelope, k -> kem(k, new AlgorithmIdentifier(
                PKCSObjectIdentifiers.id_alg_hkdf_with_sha384), k.getKekLength(), k.getWrap())), header),
                ErrorCode.UNSUPPORTED_ALGORITHM);
        assertCode(() -> G.mxOpener().open(withKem(envelope, k -> kem(k, k.getKdf(), 16,
                new AlgorithmIdentifier(NISTObjectIdentifiers.id_aes128_wrap))), header), ErrorCode.UNSUPPORTED_ALGORITHM);
        assertCode(() -> G.mxOpener().open(withKem(envelope, k -> kem(k, k.getKdf(), 24, k.getWrap())), header),
                ErrorCode.UNSUPPORTED_ALGORITHM);
        // control: the same surgery with nothing changed still opens
        assertThat(G.mxOpener().open(withKem(envelope, k -> kem(k, k.getKdf(), k.getKekLength(), k.getWrap())), header)
                .payload()).isEqualTo(PAYLOAD);
    }

    @Test
    void a_flipped_ml_dsa_signature_byte_is_a_bad_signature() {
        EnvelopeHeader header = Gateways.header();
        byte[] inner = Surgery.decrypt(G.usSealer().seal(header, PAYLOAD, G.mxEncryption()).bytes(), G.mxKeys);
        byte[] signature = new CMSSignedDataAccess(inner).signer().getSignature();

        byte[] forged = Surgery.encrypt(Surgery.flip(inner, Surgery.lastIndexOf(inner, signature) + 1000),
                G.mxEncryption(), PQ);

        assertCode(() -> G.mxOpener().open(forged, header), ErrorCode.BAD_SIGNATURE);
    }

    @Test
    void a_gateway_opening_with_the_post_quantum_profile_refuses_a_classical_envelope_even_to_a_key_it_holds() {
        // migration: the MX gateway still holds its P-256 encryption key beside the ML-KEM one
        Gateways classical = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);
        KeyMaterial mxBoth = KeyMaterial.builder()
                .signing(G.pki.mx().gatewaySigning().key(), G.pki.mx().gatewaySigning().chain())
                .encryption(G.pki.mx().gatewayEncryption().key(), G.pki.mx().gatewayEncryption().chain())
                .encryption(classical.pki.mx().gatewayEncryption().key(), classical.pki.mx().gatewayEncryption().chain())
                .build();
        EnvelopeHeader header = Gateways.header();
        byte[] downgraded = classical.usSealer().seal(header, PAYLOAD, classical.mxEncryption()).bytes();
        EnvelopeOpener pinned = new EnvelopeOpener(mxBoth, classical.mxTrust(), PQ);

        assertCode(() -> pinned.open(downgraded, header), ErrorCode.UNSUPPORTED_ALGORITHM);
        // and the same keys under the classical profile open it: the refusal is the profile's, not the keys'
        assertThat(new EnvelopeOpener(mxBoth, classical.mxTrust(), AlgorithmProfile.EC_P256_AES256GCM)
                .open(downgraded, header).payload()).isEqualTo(PAYLOAD);
    }

    @Test
    void a_post_quantum_envelope_is_refused_by_a_classical_opener() {
        EnvelopeHeader header = Gateways.header();
        byte[] envelope = G.usSealer().seal(header, PAYLOAD, G.mxEncryption()).bytes();

        assertCode(() -> new EnvelopeOpener(G.mxKeys, G.mxTrust(), AlgorithmProfile.EC_P256_AES256GCM)
                .open(envelope, header), ErrorCode.UNSUPPORTED_ALGORITHM);
    }

    private static KEMRecipientInfo kem(KEMRecipientInfo k, AlgorithmIdentifier kdf, int kekLength,
                                        AlgorithmIdentifier wrap) {
        return new KEMRecipientInfo(k.getRecipientIdentifier(), k.getKem(), k.getKemct(), kdf, new ASN1Integer(kekLength),
                k.getUkm() == null ? null : new DEROctetString(k.getUkm()), wrap, k.getEncryptedKey());
    }

    /** The envelope's one KEMRecipientInfo (the hybrid profile's test reads it too). */
    static KEMRecipientInfo kemRecipient(byte[] envelope) {
        AuthEnvelopedData aed = AuthEnvelopedData.getInstance(contentInfo(envelope).getContent());
        OtherRecipientInfo ori = (OtherRecipientInfo) RecipientInfo.getInstance(aed.getRecipientInfos().getObjectAt(0))
                .getInfo();
        assertThat(ori.getType()).isEqualTo(CMSObjectIdentifiers.id_ori_kem);
        return KEMRecipientInfo.getInstance(ori.getValue());
    }

    /** The envelope re-encoded with its one KEMRecipientInfo replaced; ciphertext and MAC untouched. */
    private static byte[] withKem(byte[] envelope, UnaryOperator<KEMRecipientInfo> change) {
        AuthEnvelopedData aed = AuthEnvelopedData.getInstance(contentInfo(envelope).getContent());
        RecipientInfo replaced = new RecipientInfo(new OtherRecipientInfo(CMSObjectIdentifiers.id_ori_kem,
                change.apply(kemRecipient(envelope))));
        AuthEnvelopedData changed = new AuthEnvelopedData(aed.getOriginatorInfo(), new DERSet(replaced),
                aed.getAuthEncryptedContentInfo(), aed.getAuthAttrs(), aed.getMac(), aed.getUnauthAttrs());
        try {
            return new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, changed).getEncoded("DER");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentInfo contentInfo(byte[] envelope) {
        try {
            return ContentInfo.getInstance(ASN1Primitive.fromByteArray(envelope));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PuenteException.class,
                e -> assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(code));
    }

    /** The one SignerInfo of a ContentInfo(SignedData). */
    record CMSSignedDataAccess(byte[] signedData) {
        SignerInformation signer() {
            try {
                return new CMSSignedData(signedData).getSignerInfos().getSigners().iterator().next();
            } catch (org.bouncycastle.cms.CMSException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
