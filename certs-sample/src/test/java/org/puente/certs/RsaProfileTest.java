package org.puente.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.Country;

/** The RSA-3072 profile, generated once for the whole class (twenty 3072-bit keys take seconds). */
class RsaProfileTest {
    @TempDir
    static Path dir;
    private static SamplePki pki;

    @BeforeAll
    static void generateOnce() {
        pki = SamplePki.generate(PkiProfile.RSA_3072, Clock.systemUTC());
        pki.writeTo(dir, SamplePki.samplePassword());
    }

    @Test
    void every_chain_validates_with_the_jdk_and_the_revoked_one_is_revoked() throws Exception {
        for (Country country : Country.values()) {
            CountryPki own = pki.country(country);
            for (Fixtures.Leaf leaf : Fixtures.validLeaves(country)) {
                Fixtures.pkixValidate(leaf.credential().apply(own), own);
            }
            assertThatThrownBy(() -> Fixtures.pkixValidate(own.revokedAgency(), own))
                    .isInstanceOfSatisfying(CertPathValidatorException.class,
                            e -> assertThat(e.getReason()).isEqualTo(CertPathValidatorException.BasicReason.REVOKED));
        }
    }

    @Test
    void keys_are_3072_bit_rsa_and_certificates_are_signed_with_sha256_rsa() {
        IssuedCredential signing = pki.mx().gatewaySigning();

        assertThat(((RSAPublicKey) signing.certificate().getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
        assertThat(signing.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(pki.mx().rootCa().certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(pki.mx().issuingCrl().getSigAlgName()).isEqualTo("SHA256withRSA");
    }

    @Test
    void rsa_encryption_and_tls_certificates_allow_key_encipherment_instead_of_key_agreement() {
        assertThat(KeyUsageBit.of(pki.us().gatewayEncryption().certificate())).containsExactly(KeyUsageBit.KEY_ENCIPHERMENT);
        assertThat(KeyUsageBit.of(pki.us().gatewayTls().certificate()))
                .containsExactlyInAnyOrder(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.KEY_ENCIPHERMENT);
        assertThat(KeyUsageBit.of(pki.us().gatewaySigning().certificate()))
                .containsExactlyInAnyOrder(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.NON_REPUDIATION);
    }

    @Test
    void openssl_accepts_the_rsa_chains_and_reads_the_rsa_keystore() throws Exception {
        OpenSsl.assumeAvailable();
        Path us = dir.resolve("us");

        OpenSsl.Result verify = OpenSsl.run(us, "verify", "-CAfile", "root-ca.pem", "-untrusted", "issuing-ca.pem",
                "-crl_check_all", "-CRLfile", "issuing-ca.crl.pem", "-CRLfile", "root-ca.crl.pem",
                "-purpose", "smimeencrypt", "gateway-encryption.pem");
        OpenSsl.Result revoked = OpenSsl.run(us, "verify", "-CAfile", "root-ca.pem", "-untrusted", "issuing-ca.pem",
                "-crl_check_all", "-CRLfile", "issuing-ca.crl.pem", "-CRLfile", "root-ca.crl.pem", "agency-cbp-revoked.pem");
        OpenSsl.Result keystore = OpenSsl.run(us, "pkcs12", "-in", "gateway.p12", "-passin",
                "pass:" + SamplePki.SAMPLE_PASSWORD, "-nokeys");

        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(revoked.output()).contains("certificate revoked");
        assertThat(keystore.exitCode()).as(keystore.output()).isZero();
    }
}
