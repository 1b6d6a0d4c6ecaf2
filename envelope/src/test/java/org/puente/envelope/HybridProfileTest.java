package org.puente.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.List;
import org.bouncycastle.asn1.cms.KEMRecipientInfo;
import org.bouncycastle.asn1.iana.IANAObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.jcajce.CompositePrivateKey;
import org.junit.jupiter.api.Test;
import org.puente.certs.CountryPki;
import org.puente.certs.IssuedCredential;
import org.puente.certs.PkiProfile;
import org.puente.certs.SamplePki;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;

/**
 * The hybrid profile's promise: breaking either the classical or the post-quantum algorithm is not
 * enough. Each test hands an attacker the real private key of one half (as if that algorithm were
 * broken) and a key of its own for the other half, and shows that neither a signature nor a
 * decryption gets through; the real composite key is the control.
 */
class HybridProfileTest {
    private static final AlgorithmProfile HYBRID = AlgorithmProfile.HYBRID_P256_ML_KEM_768_ML_DSA_65;
    private static final Gateways G = Gateways.of(HYBRID);
    private static final byte[] PAYLOAD = "{\"trip\":\"T-HY-1\"}".getBytes(StandardCharsets.UTF_8);
    /** FIPS 204: an ML-DSA-65 signature is 3,309 bytes; the composite adds a DER ECDSA P-256 signature (70-72). */
    private static final int ML_DSA_65_SIGNATURE = 3309;
    /** FIPS 203: an ML-KEM-768 ciphertext is 1,088 bytes; the composite adds an uncompressed P-256 point (65). */
    private static final int ML_KEM_768_CIPHERTEXT = 1088;

    @Test
    void the_envelope_carries_a_composite_kem_recipient_and_a_composite_signature_over_sha512() {
        EnvelopeHeader header = Gateways.header();
        byte[] envelope = G.usSealer().seal(header, PAYLOAD, G.mxEncryption()).bytes();

        KEMRecipientInfo kem = PostQuantumProfileTest.kemRecipient(envelope);
        assertThat(kem.getKem().getAlgorithm()).isEqualTo(IANAObjectIdentifiers.id_MLKEM768_ECDH_P256_SHA3_256);
        assertThat(kem.getKem().getParameters()).as("parameters absent").isNull();
        assertThat(kem.getKdf().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_alg_hkdf_with_sha256);
        assertThat(kem.getKekLength()).isEqualTo(32);
        assertThat(kem.getWrap().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_aes256_wrap);
        assertThat(kem.getKemct().getOctets()).as("ML-KEM-768 ciphertext and the ephemeral ECDH point")
                .hasSize(ML_KEM_768_CIPHERTEXT + 65);

        SignerInformation signer = new PostQuantumProfileTest.CMSSignedDataAccess(Surgery.decrypt(envelope, G.mxKeys)).signer();
        assertThat(signer.getDigestAlgOID()).isEqualTo(NISTObjectIdentifiers.id_sha512.getId());
        assertThat(signer.getEncryptionAlgOID()).isEqualTo(IANAObjectIdentifiers.id_MLDSA65_ECDSA_P256_SHA512.getId());
        assertThat(signer.toASN1Structure().getDigestEncryptionAlgorithm().getParameters()).isNull();
        assertThat(signer.getSignature().length).as("ML-DSA-65 and ECDSA P-256 signatures")
                .isBetween(ML_DSA_65_SIGNATURE + 8, ML_DSA_65_SIGNATURE + 72);
        assertThat(G.mxOpener().open(envelope, header).payload()).isEqualTo(PAYLOAD);
    }

    /**
     * Why one composite SignerInfo and not two: a half cut out of the composite signature is no
     * signature of its own algorithm over the signed attributes (the halves sign a representative
     * with the composite's prefix and label), so no verifier can be handed one half alone.
     */
    @Test
    void neither_half_of_the_composite_signature_verifies_on_its_own() throws Exception {
        SignerInformation signer = new PostQuantumProfileTest.CMSSignedDataAccess(Surgery.decrypt(
                G.usSealer().seal(header(), PAYLOAD, G.mxEncryption()).bytes(), G.mxKeys)).signer();
        byte[] both = signer.getSignature();
        byte[] signedAttributes = signer.getEncodedSignedAttributes();
        List<java.security.PublicKey> halves = ((org.bouncycastle.jcajce.CompositePublicKey) java.security.KeyFactory
                .getInstance("MLDSA65-ECDSA-P256-SHA512", CryptoProviders.bouncyCastle())
                .generatePublic(new java.security.spec.X509EncodedKeySpec(
                        G.pki.us().gatewaySigning().certificate().getPublicKey().getEncoded()))).getPublicKeys();

        assertThat(verifies("MLDSA65-ECDSA-P256-SHA512", G.pki.us().gatewaySigning().certificate().getPublicKey(),
                signedAttributes, both)).as("control: the composite verifies").isTrue();
        assertThat(verifies("ML-DSA-65", halves.get(0), signedAttributes,
                java.util.Arrays.copyOfRange(both, 0, ML_DSA_65_SIGNATURE))).isFalse();
        assertThat(verifies("SHA512withECDSA", halves.get(1), signedAttributes,
                java.util.Arrays.copyOfRange(both, ML_DSA_65_SIGNATURE, both.length))).isFalse();
        assertThat(verifies("SHA256withECDSA", halves.get(1), signedAttributes,
                java.util.Arrays.copyOfRange(both, ML_DSA_65_SIGNATURE, both.length))).isFalse();
    }

    @Test
    void a_forger_holding_the_real_ecdsa_key_but_not_the_ml_dsa_key_is_refused() {
        EnvelopeHeader header = header();
        byte[] forged = sealSignedWith(compositeSigning(realHalf(G.pki.us().gatewaySigning(), 1), 1), header);

        PostQuantumProfileTest.assertCode(() -> G.mxOpener().open(forged, header), ErrorCode.BAD_SIGNATURE);
    }

    @Test
    void a_forger_holding_the_real_ml_dsa_key_but_not_the_ecdsa_key_is_refused() {
        EnvelopeHeader header = header();
        byte[] forged = sealSignedWith(compositeSigning(realHalf(G.pki.us().gatewaySigning(), 0), 0), header);

        PostQuantumProfileTest.assertCode(() -> G.mxOpener().open(forged, header), ErrorCode.BAD_SIGNATURE);
    }

    @Test
    void control_the_same_construction_with_both_real_halves_opens() {
        IssuedCredential signing = G.pki.us().gatewaySigning();
        CompositePrivateKey real = (CompositePrivateKey) signing.key();
        PrivateKey rebuilt = new CompositePrivateKey(IANAObjectIdentifiers.id_MLDSA65_ECDSA_P256_SHA512,
                real.getPrivateKeys().get(0), real.getPrivateKeys().get(1));

        EnvelopeHeader header = header();
        assertThat(G.mxOpener().open(sealSignedWith(rebuilt, header), header).payload()).isEqualTo(PAYLOAD);
    }

    @Test
    void a_reader_holding_the_real_ecdh_key_but_not_the_ml_kem_key_cannot_open() {
        EnvelopeHeader header = header();
        byte[] envelope = G.usSealer().seal(header, PAYLOAD, G.mxEncryption()).bytes();
        KeyMaterial ecdhOnly = mxWithEncryptionKey(compositeKem(realHalf(G.pki.mx().gatewayEncryption(), 1), 1));

        PostQuantumProfileTest.assertCode(() -> new EnvelopeOpener(ecdhOnly, G.mxTrust(), HYBRID).open(envelope, header),
                ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void a_reader_holding_the_real_ml_kem_key_but_not_the_ecdh_key_cannot_open() {
        EnvelopeHeader header = header();
        byte[] envelope = G.usSealer().seal(header, PAYLOAD, G.mxEncryption()).bytes();
        KeyMaterial mlKemOnly = mxWithEncryptionKey(compositeKem(realHalf(G.pki.mx().gatewayEncryption(), 0), 0));

        PostQuantumProfileTest.assertCode(() -> new EnvelopeOpener(mlKemOnly, G.mxTrust(), HYBRID).open(envelope, header),
                ErrorCode.DECRYPTION_FAILED);
        // control: the same key material built with both real halves opens
        CompositePrivateKey real = (CompositePrivateKey) G.pki.mx().gatewayEncryption().key();
        KeyMaterial both = mxWithEncryptionKey(new CompositePrivateKey(AlgorithmProfile.COMPOSITE_KEM,
                real.getPrivateKeys().get(0), real.getPrivateKeys().get(1)));
        assertThat(new EnvelopeOpener(both, G.mxTrust(), HYBRID).open(envelope, header).payload())
                .isEqualTo(PAYLOAD);
    }

    @Test
    void no_downgrade_a_hybrid_gateway_refuses_post_quantum_only_and_classical_envelopes_and_is_refused_by_them() {
        EnvelopeHeader header = header();
        for (AlgorithmProfile weaker : List.of(AlgorithmProfile.ML_KEM_768_ML_DSA_65, AlgorithmProfile.EC_P256_AES256GCM)) {
            Gateways other = Gateways.of(weaker);
            KeyMaterial mxAlsoHolding = KeyMaterial.builder()
                    .signing(G.pki.mx().gatewaySigning().key(), G.pki.mx().gatewaySigning().chain())
                    .encryption(G.pki.mx().gatewayEncryption().key(), G.pki.mx().gatewayEncryption().chain())
                    .encryption(other.pki.mx().gatewayEncryption().key(), other.pki.mx().gatewayEncryption().chain())
                    .build();
            byte[] downgraded = other.usSealer().seal(header, PAYLOAD, other.mxEncryption()).bytes();

            PostQuantumProfileTest.assertCode(() -> new EnvelopeOpener(mxAlsoHolding, other.mxTrust(), HYBRID).open(downgraded, header),
                    ErrorCode.UNSUPPORTED_ALGORITHM);
            // control: the refusal is the profile's, not the keys'
            assertThat(new EnvelopeOpener(mxAlsoHolding, other.mxTrust(), weaker).open(downgraded, header).payload())
                    .isEqualTo(PAYLOAD);
        }
        byte[] hybrid = G.usSealer().seal(header, PAYLOAD, G.mxEncryption()).bytes();
        PostQuantumProfileTest.assertCode(() -> new EnvelopeOpener(G.mxKeys, G.mxTrust(), AlgorithmProfile.ML_KEM_768_ML_DSA_65)
                .open(hybrid, header), ErrorCode.UNSUPPORTED_ALGORITHM);
    }

    /**
     * A gateway reads its keystore with the JDK, which may parse the certificates before Bouncy
     * Castle is registered: their keys are then generic keys re-encoded with NULL parameters. The
     * first demo on this profile stopped at start on exactly that (the storage key's own signature
     * refused as bad_signature). Such certificates, of a PKI no other test has used (the verifier
     * keeps keys per certificate), must still seal, open and keep the storage key.
     */
    @Test
    void keys_whose_certificates_the_jdk_parsed_without_bouncy_castle_still_seal_open_and_keep_the_storage_key() {
        SamplePki fresh = SamplePki.generate(PkiProfile.HYBRID_P256_ML_KEM_768_ML_DSA_65, Clock.systemUTC());
        KeyMaterial us = withGenericKeys(fresh.us());
        KeyMaterial mx = withGenericKeys(fresh.mx());
        assertThat(us.signingCertificate().getPublicKey().getAlgorithm()).isEqualTo("1.3.6.1.5.5.7.6.45");
        Gateways pair = new Gateways(HYBRID, fresh, us, mx);
        EnvelopeHeader header = header();

        byte[] envelope = pair.usSealer().seal(header, PAYLOAD, new GenericKeyCertificate(pair.mxEncryption())).bytes();
        assertThat(pair.mxOpener().open(envelope, header).payload()).isEqualTo(PAYLOAD);
        byte[] storageKey = new byte[32];
        byte[] sealed = StorageKeyEnvelope.seal(1, storageKey, us, HYBRID, CryptoProviders.RECOMMENDED, Clock.systemUTC());
        assertThat(StorageKeyEnvelope.open(sealed, 1, us, HYBRID, CryptoProviders.RECOMMENDED).key()).isEqualTo(storageKey);
    }

    private static KeyMaterial withGenericKeys(CountryPki country) {
        return KeyMaterial.builder()
                .signing(country.gatewaySigning().key(), generic(country.gatewaySigning().chain()))
                .encryption(country.gatewayEncryption().key(), generic(country.gatewayEncryption().chain()))
                .build();
    }

    private static List<X509Certificate> generic(List<X509Certificate> chain) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(new GenericKeyCertificate(chain.get(0))),
                chain.stream().skip(1)).map(X509Certificate.class::cast).toList();
    }

    /** Keeps half {@code index} (0 = post-quantum, 1 = classical) of a composite key: the half the attacker "broke". */
    private static PrivateKey realHalf(IssuedCredential credential, int index) {
        return ((CompositePrivateKey) credential.key()).getPrivateKeys().get(index);
    }

    /** A composite signing key with {@code known} at {@code index} and a fresh key of the attacker's in the other place. */
    private static PrivateKey compositeSigning(PrivateKey known, int index) {
        return composite(IANAObjectIdentifiers.id_MLDSA65_ECDSA_P256_SHA512, "ML-DSA-65", known, index);
    }

    private static PrivateKey compositeKem(PrivateKey known, int index) {
        return composite(AlgorithmProfile.COMPOSITE_KEM, "ML-KEM-768", known, index);
    }

    /** Halves in the composite's order: post-quantum first, then the classical (EC) key. */
    private static PrivateKey composite(org.bouncycastle.asn1.ASN1ObjectIdentifier algorithm, String postQuantum,
                                        PrivateKey known, int index) {
        PrivateKey own = index == 0 ? ecKey() : fresh(postQuantum);
        return index == 0 ? new CompositePrivateKey(algorithm, known, own) : new CompositePrivateKey(algorithm, own, known);
    }

    /** An envelope to MX signed with {@code key} under the real US signing certificate. */
    private static byte[] sealSignedWith(PrivateKey key, EnvelopeHeader header) {
        KeyMaterial forger = KeyMaterial.builder().signing(key, G.pki.us().gatewaySigning().chain())
                .encryption(G.pki.us().gatewayEncryption().key(), G.pki.us().gatewayEncryption().chain())
                .build();
        return G.sealer(forger, Clock.systemUTC()).seal(header, PAYLOAD, G.mxEncryption()).bytes();
    }

    private static KeyMaterial mxWithEncryptionKey(PrivateKey key) {
        return KeyMaterial.builder()
                .signing(G.pki.mx().gatewaySigning().key(), G.pki.mx().gatewaySigning().chain())
                .encryption(key, G.pki.mx().gatewayEncryption().chain())
                .build();
    }

    private static PrivateKey ecKey() {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", CryptoProviders.bouncyCastle());
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            return kpg.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey fresh(String algorithm) {
        try {
            return KeyPairGenerator.getInstance(algorithm, CryptoProviders.bouncyCastle()).generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EnvelopeHeader header() {
        return Gateways.header();
    }

    private static boolean verifies(String algorithm, java.security.PublicKey key, byte[] data, byte[] signature)
            throws GeneralSecurityException {
        java.security.Signature verifier = java.security.Signature.getInstance(algorithm, CryptoProviders.bouncyCastle());
        verifier.initVerify(key);
        verifier.update(data);
        try {
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        }
    }

}
