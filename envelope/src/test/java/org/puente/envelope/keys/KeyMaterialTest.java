package org.puente.envelope.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.PkiProfile;
import org.puente.certs.SamplePki;
import org.puente.certs.SampleNames;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.EnvelopeOpener;
import org.puente.envelope.EnvelopeSealer;
import org.puente.envelope.Gateways;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

class KeyMaterialTest {
    private static final Gateways G = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeSampleSet() {
        G.pki.writeTo(dir, SamplePki.samplePassword());
    }

    @Test
    void loads_the_three_keys_of_a_gateway_keystore() {
        KeyMaterial keys = KeyMaterial.load(dir.resolve("us/gateway.p12"), SamplePki.samplePassword());

        assertThat(keys.signingCertificate()).isEqualTo(G.pki.us().gatewaySigning().certificate());
        assertThat(keys.signingChain()).hasSize(3);
        assertThat(keys.signingChainToSend()).containsExactlyElementsOf(keys.signingChain().subList(0, 2))
                .doesNotContain(G.pki.us().trustAnchor());
        assertThat(keys.encryptionCertificates()).containsExactly(G.pki.us().gatewayEncryption().certificate());
        assertThat(keys.tlsChain()).isPresent();
    }

    @Test
    void tls_key_managers_offer_the_tls_key_and_nothing_else() {
        KeyManager[] managers = KeyMaterial.load(dir.resolve("us/gateway.p12"), SamplePki.samplePassword())
                .tlsKeyManagers();
        X509KeyManager km = (X509KeyManager) managers[0];

        String[] aliases = km.getServerAliases("EC", null);
        assertThat(aliases).isNotEmpty();
        for (String alias : aliases) {
            assertThat(km.getCertificateChain(alias)[0]).isEqualTo(G.pki.us().gatewayTls().certificate());
        }
    }

    @Test
    void a_wrong_password_names_the_file_and_not_the_password() {
        assertThatThrownBy(() -> KeyMaterial.load(dir.resolve("us/gateway.p12"), "hunter2-wrong".toCharArray()))
                .isInstanceOf(PuenteException.class)
                .satisfies(e -> assertThat(((PuenteException) e).errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID))
                .hasMessageContaining("gateway.p12")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void a_missing_password_variable_is_named_in_the_error() {
        String variable = "PUENTE_TEST_UNSET_" + System.nanoTime();

        assertThatThrownBy(() -> KeyMaterial.fromEnvironment(dir.resolve("us/gateway.p12"), variable))
                .isInstanceOf(PuenteException.class)
                .hasMessageContaining(variable);
    }

    @Test
    void a_keystore_without_a_signing_key_is_refused() {
        assertThatThrownBy(() -> KeyMaterial.load(dir.resolve("us/agency-cbp.p12"), SamplePki.samplePassword()))
                .isInstanceOf(PuenteException.class)
                .hasMessageContaining("\"signing\"");
    }

    @Test
    void during_rotation_signs_with_the_newer_key_and_decrypts_for_both(@TempDir Path tmp) throws Exception {
        CertificateIssuer issuer = new CertificateIssuer();
        Instant now = Instant.now();
        IssuedCredential newerSigning = issuer.issue(G.pki.mx().issuingCa(), CertificateSpec.builder(
                        SampleNames.gatewaySigning(Country.MX), PkiProfile.EC_P256.generateKeyPair())
                .validity(now.minus(Duration.ofMinutes(10)), now.plus(Duration.ofDays(400)))
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
        IssuedCredential futureSigning = issuer.issue(G.pki.mx().issuingCa(), CertificateSpec.builder(
                        SampleNames.gatewaySigning(Country.MX), PkiProfile.EC_P256.generateKeyPair())
                .validity(now.plus(Duration.ofDays(10)), now.plus(Duration.ofDays(400)))
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
        IssuedCredential newerEncryption = issuer.issue(G.pki.mx().issuingCa(), CertificateSpec.builder(
                        SampleNames.gatewayEncryption(Country.MX), PkiProfile.EC_P256.generateKeyPair())
                .validity(now.minus(Duration.ofMinutes(10)), now.plus(Duration.ofDays(400)))
                .keyUsage(KeyUsageBit.KEY_AGREEMENT).extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
        Path first = dir.resolve("mx/gateway.p12");
        Path second = tmp.resolve("rotation.p12");
        writeKeystore(second, List.of("signing-2", "signing-3", "encryption-2"),
                List.of(newerSigning, futureSigning, newerEncryption));

        KeyMaterial keys = KeyMaterial.load(List.of(first, second), SamplePki.samplePassword(), Clock.systemUTC());

        assertThat(keys.signingCertificate()).isEqualTo(newerSigning.certificate());
        assertThat(keys.encryptionCertificate()).isEqualTo(newerEncryption.certificate());
        assertThat(keys.encryptionCertificates()).hasSize(2);
        EnvelopeSealer usSealer = G.usSealer();
        EnvelopeOpener mxOpener = new EnvelopeOpener(keys, G.mxTrust(), G.profile);
        EnvelopeHeader header = Gateways.header();
        for (X509Certificate recipient : keys.encryptionCertificates()) {
            byte[] envelope = usSealer.seal(header, new byte[] {42}, recipient).bytes();
            assertThat(mxOpener.open(envelope, header).payload()).containsExactly(42);
        }
    }

    private static void writeKeystore(Path file, List<String> aliases, List<IssuedCredential> credentials)
            throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < aliases.size(); i++) {
            ks.setKeyEntry(aliases.get(i), credentials.get(i).key(), SamplePki.samplePassword(),
                    credentials.get(i).chainArray());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, SamplePki.samplePassword());
        }
    }
}
