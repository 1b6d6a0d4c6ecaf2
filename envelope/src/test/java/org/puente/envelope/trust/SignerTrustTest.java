package org.puente.envelope.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.IssuedCredential;
import org.puente.certs.Revocation;
import org.puente.certs.SamplePki;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.Gateways;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

class SignerTrustTest {
    private static final Gateways G = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeSampleSet() {
        G.pki.writeTo(dir, SamplePki.samplePassword());
    }

    @Test
    void loads_roots_from_pem_and_from_a_pkcs12_truststore_and_crls_from_pem() {
        List<X509Certificate> fromPem = TrustMaterial.certificates(List.of(dir.resolve("us/root-ca.pem")), null);
        List<X509Certificate> fromP12 = TrustMaterial.certificates(List.of(dir.resolve("mx/truststore-peer.p12")),
                SamplePki.samplePassword());
        List<X509CRL> crls = TrustMaterial.crls(List.of(dir.resolve("us/issuing-ca.crl.pem"),
                dir.resolve("us/root-ca.crl.pem")));

        assertThat(fromPem).containsExactly(G.pki.us().trustAnchor());
        assertThat(fromP12).containsExactly(G.pki.us().trustAnchor());
        assertThat(crls).hasSize(2);
    }

    @Test
    void a_missing_trust_file_is_a_configuration_error_naming_it() {
        assertThatThrownBy(() -> TrustMaterial.certificates(List.of(dir.resolve("nope.pem")), null))
                .isInstanceOf(PuenteException.class).hasMessageContaining("nope.pem");
    }

    @Test
    void revocation_on_without_crls_is_refused_at_start_up() {
        assertThatThrownBy(() -> SignerTrust.builder().roots(List.of(G.pki.us().trustAnchor()))
                .expectedSignerName(Gateways.US_NAME).build())
                .isInstanceOf(PuenteException.class)
                .extracting(e -> ((PuenteException) e).errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
    }

    @Test
    void reloading_crls_drops_cached_validations_so_a_new_revocation_applies_at_once() {
        SignerTrust trust = G.mxTrust();
        IssuedCredential signer = G.pki.us().gatewaySigning();
        Instant now = Instant.now();
        trust.validate(signer.certificate(), signer.chain(), now);

        X509CRL revoking = new CertificateIssuer().crl(G.pki.us().issuingCa(), now.minus(Duration.ofMinutes(1)),
                now.plus(Duration.ofDays(1)), BigInteger.valueOf(2), List.of(Revocation.of(signer.certificate(),
                        now.minus(Duration.ofMinutes(2)), Revocation.Reason.KEY_COMPROMISE)));
        trust.reloadCrls(List.of(revoking, G.pki.us().rootCrl()));

        assertThatThrownBy(() -> trust.validate(signer.certificate(), signer.chain(), now))
                .isInstanceOf(PuenteException.class)
                .extracting(e -> ((PuenteException) e).errorCode()).isEqualTo(ErrorCode.CERTIFICATE_REVOKED);
    }

    @Test
    void the_peer_name_is_compared_as_the_parsed_common_name() {
        SignerTrust trust = G.mxTrust();
        IssuedCredential usSigner = G.pki.us().gatewaySigning();

        assertThat(trust.validate(usSigner.certificate(), usSigner.chain(), Instant.now()).root())
                .isEqualTo(G.pki.us().trustAnchor());
        assertThat(CertificateNames.commonNames(usSigner.certificate())).containsExactly(Gateways.US_NAME);
    }
}
