package org.puente.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** Profile names, key generation, and a complete P-384 sample PKI (the RSA one has its own class: it is slow). */
class PkiProfileTest {

    @ParameterizedTest
    @CsvSource({"ec-p256, EC_P256", "ec-p384, EC_P384", "rsa-3072, RSA_3072", "EC-P384, EC_P384",
            "ml-kem-768-ml-dsa-65, ML_KEM_768_ML_DSA_65",
            "hybrid-p256-ml-kem-768-ml-dsa-65, HYBRID_P256_ML_KEM_768_ML_DSA_65"})
    void command_line_names_select_their_profile(String name, PkiProfile expected) {
        assertThat(PkiProfile.fromCliName(name)).isEqualTo(expected);
    }

    @Test
    void unknown_profile_name_is_a_configuration_error_that_lists_the_valid_names() {
        assertThatThrownBy(() -> PkiProfile.fromCliName("ec-p521"))
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage()).contains("ec-p521",
                            "ec-p256, ec-p384, rsa-3072, ml-kem-768-ml-dsa-65, hybrid-p256-ml-kem-768-ml-dsa-65");
                });
    }

    @ParameterizedTest
    @EnumSource(value = PkiProfile.class, names = {"EC_P256", "EC_P384"})
    void elliptic_curve_profiles_make_keys_on_their_curve(PkiProfile profile) {
        ECPublicKey key = (ECPublicKey) profile.generateKeyPair().getPublic();

        int expectedBits = profile == PkiProfile.EC_P256 ? 256 : 384;
        assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(expectedBits);
        assertThat(PkiProfile.signatureAlgorithmFor(key)).isEqualTo(profile.signatureAlgorithm());
    }

    @Test
    void a_key_of_an_unsupported_algorithm_has_no_certificate_signature_algorithm() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");

        assertThatThrownBy(() -> PkiProfile.signatureAlgorithmFor(generator.generateKeyPair().getPublic()))
                .isInstanceOfSatisfying(PuenteException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_ALGORITHM));
    }

    @Test
    void p384_profile_generates_a_pki_whose_chains_validate_and_are_signed_with_sha384() throws Exception {
        SamplePki pki = SamplePki.generate(PkiProfile.EC_P384, Clock.systemUTC());

        for (Country country : Country.values()) {
            CountryPki own = pki.country(country);
            for (Fixtures.Leaf leaf : Fixtures.validLeaves(country)) {
                IssuedCredential credential = leaf.credential().apply(own);
                Fixtures.pkixValidate(credential, own);
                assertThat(credential.certificate().getSigAlgName()).isEqualTo("SHA384withECDSA");
                assertThat(((ECPublicKey) credential.certificate().getPublicKey()).getParams().getCurve().getField().getFieldSize())
                        .isEqualTo(384);
            }
            assertThat(own.issuingCrl().getSigAlgName()).isEqualTo("SHA384withECDSA");
            assertThat(KeyUsageBit.of(own.gatewayEncryption().certificate())).containsExactly(KeyUsageBit.KEY_AGREEMENT);
        }
        assertThat(pki.profile()).isEqualTo(PkiProfile.EC_P384);
    }

    /**
     * The post-quantum profile gives the gateways ML-DSA-65 and ML-KEM-768 keys, the hybrid one
     * composite ML-DSA-65+ECDSA-P256 (id-MLDSA65-ECDSA-P256-SHA512) and ML-KEM-768+ECDH-P256
     * (id-MLKEM768-ECDH-P256-SHA3-256) keys; both under P-256 CAs.
     */
    @ParameterizedTest
    @CsvSource({"ML_KEM_768_ML_DSA_65, 2.16.840.1.101.3.4.3.18, 2.16.840.1.101.3.4.4.2",
            "HYBRID_P256_ML_KEM_768_ML_DSA_65, 1.3.6.1.5.5.7.6.45, 1.3.6.1.5.5.7.6.59"})
    void post_quantum_profiles_give_the_gateways_their_message_keys_under_p256_cas(PkiProfile profile, String signing,
                                                                                  String encryption) throws Exception {
        SamplePki pki = SamplePki.generate(profile, Clock.systemUTC());

        for (Country country : Country.values()) {
            CountryPki own = pki.country(country);
            for (Fixtures.Leaf leaf : Fixtures.validLeaves(country)) {
                Fixtures.pkixValidate(leaf.credential().apply(own), own);
            }
            assertThat(spkiAlgorithm(own.gatewaySigning())).isEqualTo(signing);
            assertThat(spkiAlgorithm(own.gatewayAudit())).isEqualTo(signing);
            assertThat(spkiAlgorithm(own.gatewayEncryption())).isEqualTo(encryption);
            assertThat(KeyUsageBit.of(own.gatewayEncryption().certificate())).containsExactly(KeyUsageBit.KEY_ENCIPHERMENT);
            // what TLS, the CAs and the agencies' clients hold stays P-256: Java 17's TLS knows no ML-DSA
            assertThat(own.gatewayTls().certificate().getPublicKey()).isInstanceOf(ECPublicKey.class);
            assertThat(own.issuingCa().certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        }
    }

    private static String spkiAlgorithm(IssuedCredential credential) {
        return org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(credential.certificate().getPublicKey().getEncoded())
                .getAlgorithm().getAlgorithm().getId();
    }
}
