package org.puente.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.CountryPki;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.PkiProfile;
import org.puente.certs.SampleNames;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.RecipientInfoFactory;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The storage key sealed by a gateway for itself: it opens with the gateway's own keys only, during
 * a key rotation with either encryption key, and a key sealed by anyone else (who needs only the
 * public encryption certificate to encrypt) is refused.
 */
class StorageKeyEnvelopeTest {
    private static final Gateways G = Gateways.of(AlgorithmProfile.DEFAULT);
    private static final CryptoProviders P = CryptoProviders.RECOMMENDED;
    private static final Clock CLOCK = Clock.systemUTC();

    @ParameterizedTest(name = "{0}")
    @EnumSource(AlgorithmProfile.class)
    void a_sealed_storage_key_opens_to_the_same_bytes_with_the_gateways_own_keys(AlgorithmProfile profile) {
        KeyMaterial keys = Gateways.keys(TestPkis.of(profile).us());
        byte[] key = randomKey();

        byte[] sealed = StorageKeyEnvelope.seal(1, key, keys, profile, P, CLOCK);
        StorageKeyEnvelope.Opened opened = StorageKeyEnvelope.open(sealed, 1, keys, profile, P);

        assertThat(opened.key()).isEqualTo(key);
        assertThat(opened.keyId()).isEqualTo(1);
        assertThat(opened.current()).isTrue();
        assertThat(indexOf(sealed, key)).as("the key bytes appear in the sealed form").isNegative();
    }

    @Test
    void during_a_rotation_the_key_is_sealed_to_both_encryption_keys_and_opens_with_either_alone() {
        IssuedCredential newer = newerEncryption(G.pki.us());
        CountryPki us = G.pki.us();
        KeyMaterial both = KeyMaterial.builder().signing(us.gatewaySigning().key(), us.gatewaySigning().chain())
                .encryption(us.gatewayEncryption().key(), us.gatewayEncryption().chain())
                .encryption(newer.key(), newer.chain()).build();
        KeyMaterial oldOnly = G.usKeys;
        KeyMaterial newOnly = KeyMaterial.builder().signing(us.gatewaySigning().key(), us.gatewaySigning().chain())
                .encryption(newer.key(), newer.chain()).build();
        byte[] key = randomKey();

        byte[] sealed = StorageKeyEnvelope.seal(1, key, both, G.profile, P, CLOCK);

        assertThat(StorageKeyEnvelope.open(sealed, 1, both, G.profile, P).current()).isTrue();
        StorageKeyEnvelope.Opened withOld = StorageKeyEnvelope.open(sealed, 1, oldOnly, G.profile, P);
        StorageKeyEnvelope.Opened withNew = StorageKeyEnvelope.open(sealed, 1, newOnly, G.profile, P);
        assertThat(withOld.key()).isEqualTo(key);
        assertThat(withNew.key()).isEqualTo(key);
        // addressed to a key this keystore no longer has: to be sealed again
        assertThat(withOld.current()).isFalse();
        assertThat(withNew.current()).isFalse();
    }

    @Test
    void a_key_sealed_before_a_rotation_opens_with_the_old_key_and_is_sealed_again_for_both() {
        IssuedCredential newer = newerEncryption(G.pki.us());
        CountryPki us = G.pki.us();
        KeyMaterial rotated = KeyMaterial.builder().signing(us.gatewaySigning().key(), us.gatewaySigning().chain())
                .encryption(us.gatewayEncryption().key(), us.gatewayEncryption().chain())
                .encryption(newer.key(), newer.chain()).build();
        KeyMaterial newOnly = KeyMaterial.builder().signing(us.gatewaySigning().key(), us.gatewaySigning().chain())
                .encryption(newer.key(), newer.chain()).build();
        byte[] key = randomKey();
        byte[] beforeRotation = StorageKeyEnvelope.seal(1, key, G.usKeys, G.profile, P, CLOCK);

        StorageKeyEnvelope.Opened opened = StorageKeyEnvelope.open(beforeRotation, 1, rotated, G.profile, P);
        byte[] resealed = StorageKeyEnvelope.seal(1, opened.key(), rotated, G.profile, P, CLOCK);

        assertThat(opened.key()).isEqualTo(key);
        assertThat(opened.current()).isFalse();
        assertThat(StorageKeyEnvelope.open(resealed, 1, rotated, G.profile, P).current()).isTrue();
        assertThat(StorageKeyEnvelope.open(resealed, 1, newOnly, G.profile, P).key()).isEqualTo(key);
        assertThatThrownBy(() -> StorageKeyEnvelope.open(beforeRotation, 1, newOnly, G.profile, P))
                .isInstanceOfSatisfying(PuenteException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENVELOPE_NOT_FOR_US));
    }

    @Test
    void a_key_signed_with_a_newer_signing_key_is_current_only_once_that_key_signs() {
        CountryPki us = G.pki.us();
        Instant now = Instant.now();
        IssuedCredential newerSigning = new CertificateIssuer().issue(us.issuingCa(), CertificateSpec.builder(
                        SampleNames.gatewaySigning(Country.US), PkiProfile.EC_P256.generateKeyPair())
                .validity(now.minus(Duration.ofMinutes(10)), now.plus(Duration.ofDays(400)))
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
        KeyMaterial rotated = KeyMaterial.builder().signing(us.gatewaySigning().key(), us.gatewaySigning().chain())
                .signing(newerSigning.key(), newerSigning.chain())
                .encryption(us.gatewayEncryption().key(), us.gatewayEncryption().chain()).build();
        byte[] signedByOld = StorageKeyEnvelope.seal(1, randomKey(), G.usKeys, G.profile, P, CLOCK);

        StorageKeyEnvelope.Opened opened = StorageKeyEnvelope.open(signedByOld, 1, rotated, G.profile, P);

        assertThat(rotated.signingCertificate()).isEqualTo(newerSigning.certificate());
        assertThat(opened.current()).isFalse();
        byte[] resealed = StorageKeyEnvelope.seal(1, opened.key(), rotated, G.profile, P, CLOCK);
        assertThat(StorageKeyEnvelope.open(resealed, 1, rotated, G.profile, P).current()).isTrue();
    }

    @Test
    void the_other_gateways_keys_cannot_open_it() {
        byte[] sealed = StorageKeyEnvelope.seal(1, randomKey(), G.usKeys, G.profile, P, CLOCK);

        assertThatThrownBy(() -> StorageKeyEnvelope.open(sealed, 1, G.mxKeys, G.profile, P))
                .isInstanceOfSatisfying(PuenteException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENVELOPE_NOT_FOR_US));
    }

    @Test
    void a_key_of_someone_elses_choosing_sealed_to_our_public_certificate_is_refused() {
        // a database writer needs only the public encryption certificate to encrypt; here the
        // agency's key signs and the encryption goes to our real certificate
        KeyMaterial forger = G.signingWith(G.pki.us().agency("CBP"));
        byte[] forged = StorageKeyEnvelope.seal(1, randomKey(), forger, G.profile, P, CLOCK);

        assertThatThrownBy(() -> StorageKeyEnvelope.open(forged, 1, G.usKeys, G.profile, P))
                .isInstanceOfSatisfying(PuenteException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_SIGNER));
    }

    @Test
    void another_statement_we_signed_sealed_to_us_is_not_a_storage_key() throws Exception {
        // our own signed receipts lie in the database in clear: one of them, encrypted to our
        // certificate, must not pass for a storage key whose bytes its reader knows
        byte[] receipt = new StatementSigner(G.usKeys, G.profile).sign(StatementType.RECEIPT, new byte[32]);
        CMSAuthEnvelopedDataGenerator gen = new CMSAuthEnvelopedDataGenerator();
        gen.addRecipientInfoGenerator(RecipientInfoFactory.forRecipient(G.usKeys.encryptionCertificate(), G.profile, P));
        byte[] sealed = gen.generate(new CMSProcessableByteArray(receipt), (OutputAEADEncryptor)
                new JceCMSContentEncryptorBuilder(AlgorithmProfile.CONTENT_CIPHER).setProvider(P.contentCipher()).build())
                .getEncoded();

        assertThatThrownBy(() -> StorageKeyEnvelope.open(sealed, 1, G.usKeys, G.profile, P))
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.ENVELOPE_UNREADABLE);
                    assertThat(e.getMessage()).contains("is not a storage key");
                });
    }

    @Test
    void a_key_stored_under_another_id_is_refused() {
        byte[] sealedAsOne = StorageKeyEnvelope.seal(1, randomKey(), G.usKeys, G.profile, P, CLOCK);

        assertThatThrownBy(() -> StorageKeyEnvelope.open(sealedAsOne, 2, G.usKeys, G.profile, P))
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.ENVELOPE_UNREADABLE);
                    assertThat(e.getMessage()).contains("is storage key 1, stored as key 2");
                });
    }

    @Test
    void a_changed_authentication_tag_fails_decryption() {
        byte[] sealed = StorageKeyEnvelope.seal(1, randomKey(), G.usKeys, G.profile, P, CLOCK);
        byte[] changed = sealed.clone();
        changed[changed.length - 1] ^= 0x01; // the last byte of the GCM tag (DER: the mac ends the structure)

        assertThatThrownBy(() -> StorageKeyEnvelope.open(changed, 1, G.usKeys, G.profile, P))
                .isInstanceOfSatisfying(PuenteException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DECRYPTION_FAILED));
    }

    private static IssuedCredential newerEncryption(CountryPki c) {
        Instant now = Instant.now();
        return new CertificateIssuer().issue(c.issuingCa(), CertificateSpec.builder(
                        SampleNames.gatewayEncryption(c.country()), PkiProfile.EC_P256.generateKeyPair())
                .validity(now.minus(Duration.ofMinutes(10)), now.plus(Duration.ofDays(400)))
                .keyUsage(KeyUsageBit.KEY_AGREEMENT).extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
    }

    private static byte[] randomKey() {
        byte[] key = new byte[StorageKeyEnvelope.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
