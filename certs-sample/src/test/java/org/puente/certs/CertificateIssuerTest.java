package org.puente.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

/** The library API other modules' tests use to make odd certificates and CRLs. */
class CertificateIssuerTest {
    private final CertificateIssuer issuer = new CertificateIssuer();
    private final CountryPki us = Fixtures.ecP256().us();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Test
    void issues_a_leaf_with_the_requested_subject_validity_serial_and_usages() throws Exception {
        CertificateSpec spec = CertificateSpec.builder("CN=odd signer, OU=Tests, O=Puente SAMPLE - NOT FOR PRODUCTION, C=US",
                        PkiProfile.EC_P256.generateKeyPair())
                .validity(now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(2)))
                .serial(BigInteger.valueOf(4242))
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.DATA_ENCIPHERMENT)
                .extendedKeyUsage(KeyPurpose.CODE_SIGNING)
                .subjectAltNames(SubjectAltName.email("ops@puente.sample"))
                .build();

        IssuedCredential leaf = issuer.issue(us.issuingCa(), spec);

        X509Certificate certificate = leaf.certificate();
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=odd signer,OU=Tests,O=Puente SAMPLE - NOT FOR PRODUCTION,C=US");
        assertThat(certificate.getSerialNumber()).isEqualTo(4242);
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofDays(2)));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(2)));
        assertThat(KeyUsageBit.of(certificate)).containsExactlyInAnyOrder(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.DATA_ENCIPHERMENT);
        assertThat(KeyPurpose.of(certificate)).containsExactly(KeyPurpose.CODE_SIGNING);
        assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(1, "ops@puente.sample"));
        assertThat(leaf.chain()).containsExactly(certificate, us.issuingCa().certificate(), us.rootCa().certificate());
        assertThat(leaf.root()).isEqualTo(us.trustAnchor());
        assertThat(leaf.keyPair().getPrivate()).isEqualTo(spec.keyPair().getPrivate());
        Fixtures.pkixValidate(leaf, us);
    }

    @Test
    void an_expired_leaf_is_reported_expired_by_pkix() {
        IssuedCredential expired = issuer.issue(us.issuingCa(), CertificateSpec.builder("CN=expired, C=US",
                        PkiProfile.EC_P256.generateKeyPair())
                .validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)))
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).build());

        assertThatThrownBy(() -> Fixtures.pkixValidate(expired, us))
                .isInstanceOfSatisfying(CertPathValidatorException.class,
                        e -> assertThat(e.getReason()).isEqualTo(BasicReason.EXPIRED));
    }

    @Test
    void a_leaf_valid_only_from_tomorrow_is_reported_not_yet_valid_by_pkix() {
        IssuedCredential future = issuer.issue(us.issuingCa(), CertificateSpec.builder("CN=future, C=US",
                        PkiProfile.EC_P256.generateKeyPair())
                .validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)))
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).build());

        assertThatThrownBy(() -> Fixtures.pkixValidate(future, us))
                .isInstanceOfSatisfying(CertPathValidatorException.class,
                        e -> assertThat(e.getReason()).isEqualTo(BasicReason.NOT_YET_VALID));
    }

    @Test
    void a_spec_without_usages_gives_a_certificate_without_key_usage_or_extended_key_usage() throws Exception {
        IssuedCredential bare = issuer.issue(us.issuingCa(),
                CertificateSpec.builder("CN=bare, C=US", PkiProfile.EC_P256.generateKeyPair()).build());

        assertThat(bare.certificate().getKeyUsage()).isNull();
        assertThat(KeyUsageBit.of(bare.certificate())).isEmpty();
        assertThat(KeyPurpose.of(bare.certificate())).isEmpty();
        assertThat(bare.certificate().getSubjectAlternativeNames()).isNull();
    }

    @Test
    void key_usage_can_be_made_non_critical() {
        IssuedCredential leaf = issuer.issue(us.issuingCa(), CertificateSpec.builder("CN=lenient, C=US",
                        PkiProfile.EC_P256.generateKeyPair())
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).keyUsageCritical(false).build());

        assertThat(leaf.certificate().getNonCriticalExtensionOIDs()).contains(Extension.keyUsage.getId());
        assertThat(leaf.certificate().getCriticalExtensionOIDs()).doesNotContain(Extension.keyUsage.getId());
    }

    @Test
    void default_validity_starts_an_hour_ago_and_lasts_three_years() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CertificateSpec spec = CertificateSpec.builder("CN=default, C=US", PkiProfile.EC_P256.generateKeyPair()).build();

        assertThat(spec.notBefore()).isBetween(before.minus(Duration.ofHours(1)), Instant.now().minus(Duration.ofMinutes(59)));
        assertThat(Duration.between(spec.notBefore(), spec.notAfter()).toDays()).isBetween(365L * 3, 365L * 3 + 1);
        assertThat(spec.serial().bitLength()).isLessThanOrEqualTo(128);
    }

    @Test
    void the_signature_algorithm_can_be_chosen() {
        IssuedCredential leaf = issuer.issue(us.issuingCa(),
                CertificateSpec.builder("CN=sha512, C=US", PkiProfile.EC_P256.generateKeyPair()).build(), "SHA512withECDSA");

        assertThat(leaf.certificate().getSigAlgName()).isEqualTo("SHA512withECDSA");
    }

    @Test
    void a_ca_of_another_profile_can_issue_for_a_key_of_another_profile() throws Exception {
        IssuedCredential root = issuer.selfSign(CertificateSpec.builder("CN=Test P-384 Root, C=MX",
                PkiProfile.EC_P384.generateKeyPair()).ca(1).keyUsage(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN).build());
        IssuedCredential leaf = issuer.issue(root, CertificateSpec.builder("CN=P-256 leaf, C=MX",
                PkiProfile.EC_P256.generateKeyPair()).keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).build());
        X509CRL crl = issuer.crl(root, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), BigInteger.TEN, List.of());

        assertThat(root.certificate().getBasicConstraints()).isEqualTo(1);
        assertThat(root.chain()).containsExactly(root.certificate());
        assertThat(leaf.certificate().getSigAlgName()).isEqualTo("SHA384withECDSA");
        Fixtures.pkixValidate(leaf.chain(), root.certificate(), List.of(crl), new Date());
    }

    @Test
    void a_crl_revoking_a_given_serial_makes_pkix_report_that_certificate_revoked() {
        IssuedCredential leaf = issuer.issue(us.issuingCa(), CertificateSpec.builder("CN=soon revoked, C=US",
                PkiProfile.EC_P256.generateKeyPair()).keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).build());
        X509CRL crl = issuer.crl(us.issuingCa(), now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)),
                BigInteger.TWO, List.of(Revocation.of(leaf.certificate(), now.minus(Duration.ofMinutes(5)),
                        Revocation.Reason.SUPERSEDED)));

        assertThat(crl.isRevoked(leaf.certificate())).isTrue();
        assertThat(crl.getRevokedCertificate(leaf.certificate()).getRevocationReason())
                .isEqualTo(CRLReason.SUPERSEDED);
        assertThatThrownBy(() -> Fixtures.pkixValidate(leaf.chain(), us.trustAnchor(), List.of(crl, us.rootCrl()), new Date()))
                .isInstanceOfSatisfying(CertPathValidatorException.class,
                        e -> assertThat(e.getReason()).isEqualTo(BasicReason.REVOKED));
    }

    @Test
    void a_certificate_serial_must_be_positive() {
        CertificateSpec.Builder builder = CertificateSpec.builder("CN=zero, C=US", PkiProfile.EC_P256.generateKeyPair())
                .serial(BigInteger.ZERO);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    @Test
    void a_credential_chain_must_start_with_its_certificate() {
        IssuedCredential leaf = us.operator();

        assertThatThrownBy(() -> new IssuedCredential(leaf.certificate(), leaf.key(), List.of(us.issuingCa().certificate())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chain must start");
    }
}
