package org.puente.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.certs.KeyUsageBit.CRL_SIGN;
import static org.puente.certs.KeyUsageBit.DIGITAL_SIGNATURE;
import static org.puente.certs.KeyUsageBit.KEY_AGREEMENT;
import static org.puente.certs.KeyUsageBit.KEY_CERT_SIGN;
import static org.puente.certs.KeyUsageBit.NON_REPUDIATION;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.cert.CRLReason;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.puente.model.Country;

/** Each role's subject, key usage, extended key usage and alternative names, as the brief specifies (EC profile). */
class CertificateProfileTest {
    private final SamplePki pki = Fixtures.ecP256();

    /** One row of the table: a role, where to find it, and what its certificate must say. */
    record Expectation(String role, Function<CountryPki, IssuedCredential> credential, Function<Country, String> subject,
                       Set<KeyUsageBit> keyUsage, Set<KeyPurpose> extendedKeyUsage, boolean tlsNames) {
        @Override
        public String toString() {
            return role;
        }
    }

    static List<Expectation> table() {
        return List.of(
                new Expectation("gateway-signing", CountryPki::gatewaySigning, c -> "CN=gateway." + lower(c)
                        + ".puente.sample,OU=Gateway,O=Puente SAMPLE - NOT FOR PRODUCTION,C=" + c,
                        Set.of(DIGITAL_SIGNATURE, NON_REPUDIATION), Set.of(KeyPurpose.EMAIL_PROTECTION), false),
                new Expectation("gateway-encryption", CountryPki::gatewayEncryption, c -> "CN=gateway." + lower(c)
                        + ".puente.sample,OU=Gateway Encryption,O=Puente SAMPLE - NOT FOR PRODUCTION,C=" + c,
                        Set.of(KEY_AGREEMENT), Set.of(KeyPurpose.EMAIL_PROTECTION), false),
                new Expectation("gateway-tls", CountryPki::gatewayTls, c -> "CN=gateway." + lower(c)
                        + ".puente.sample,OU=Gateway TLS,O=Puente SAMPLE - NOT FOR PRODUCTION,C=" + c,
                        Set.of(DIGITAL_SIGNATURE), Set.of(KeyPurpose.SERVER_AUTH, KeyPurpose.CLIENT_AUTH), true),
                new Expectation("gateway-audit", CountryPki::gatewayAudit, c -> "CN=gateway." + lower(c)
                        + ".puente.sample,OU=Gateway Audit,O=Puente SAMPLE - NOT FOR PRODUCTION,C=" + c,
                        Set.of(DIGITAL_SIGNATURE, NON_REPUDIATION), Set.of(KeyPurpose.PUENTE_AUDIT_SIGNING), false),
                new Expectation("tsa", CountryPki::timeStampingAuthority, c -> "CN=tsa." + lower(c)
                        + ".puente.sample,OU=Time-Stamping Authority,O=Puente SAMPLE - NOT FOR PRODUCTION,C=" + c,
                        Set.of(DIGITAL_SIGNATURE), Set.of(KeyPurpose.TIME_STAMPING), false),
                new Expectation("first agency", p -> p.agencies().values().iterator().next(),
                        c -> c == Country.US ? "CN=CBP agency system,OU=CBP,O=Puente SAMPLE - NOT FOR PRODUCTION,C=US"
                                : "CN=ANAM agency system,OU=ANAM,O=Puente SAMPLE - NOT FOR PRODUCTION,C=MX",
                        Set.of(DIGITAL_SIGNATURE), Set.of(KeyPurpose.CLIENT_AUTH), false),
                new Expectation("second agency", p -> new ArrayList<>(p.agencies().values()).get(1),
                        c -> c == Country.US ? "CN=ICE-HSI agency system,OU=ICE-HSI,O=Puente SAMPLE - NOT FOR PRODUCTION,C=US"
                                : "CN=SAT agency system,OU=SAT,O=Puente SAMPLE - NOT FOR PRODUCTION,C=MX",
                        Set.of(DIGITAL_SIGNATURE), Set.of(KeyPurpose.CLIENT_AUTH), false),
                new Expectation("operator", CountryPki::operator,
                        c -> "CN=" + c + " operator,OU=Operations,O=Puente SAMPLE - NOT FOR PRODUCTION,C=" + c,
                        Set.of(DIGITAL_SIGNATURE), Set.of(KeyPurpose.CLIENT_AUTH), false),
                new Expectation("auditor", CountryPki::auditor,
                        c -> "CN=" + c + " auditor,OU=Audit,O=Puente SAMPLE - NOT FOR PRODUCTION,C=" + c,
                        Set.of(DIGITAL_SIGNATURE), Set.of(KeyPurpose.CLIENT_AUTH), false),
                new Expectation("revoked agency", CountryPki::revokedAgency,
                        c -> c == Country.US ? "CN=CBP agency system (revoked),OU=CBP,O=Puente SAMPLE - NOT FOR PRODUCTION,C=US"
                                : "CN=ANAM agency system (revoked),OU=ANAM,O=Puente SAMPLE - NOT FOR PRODUCTION,C=MX",
                        Set.of(DIGITAL_SIGNATURE), Set.of(KeyPurpose.CLIENT_AUTH), false));
    }

    static Stream<Arguments> rows() {
        return Stream.of(Country.values()).flatMap(c -> table().stream().map(row -> Arguments.of(c, row)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rows")
    void leaf_certificate_carries_the_subject_and_usages_of_its_role(Country country, Expectation row) throws Exception {
        X509Certificate certificate = row.credential().apply(pki.country(country)).certificate();

        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo(row.subject().apply(country));
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(pki.country(country).issuingCa().certificate().getSubjectX500Principal());
        assertThat(KeyUsageBit.of(certificate)).isEqualTo(row.keyUsage());
        assertThat(certificate.getCriticalExtensionOIDs()).contains(Extension.keyUsage.getId(), Extension.basicConstraints.getId());
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(KeyPurpose.of(certificate)).isEqualTo(row.extendedKeyUsage());
        assertThat(certificate.getExtendedKeyUsage()).hasSameSizeAs(row.extendedKeyUsage());
        if (row.tlsNames()) {
            assertThat(alternativeNames(certificate)).containsExactly(
                    "2:localhost", "2:gateway." + lower(country) + ".puente.sample", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1");
        } else {
            assertThat(certificate.getSubjectAlternativeNames()).isNull();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rows")
    void only_the_time_stamping_authority_marks_its_extended_key_usage_critical(Country country, Expectation row) {
        X509Certificate certificate = row.credential().apply(pki.country(country)).certificate();

        // RFC 3161, 2.3: a TSA's EKU extension is critical; elsewhere it stays non-critical so that
        // relying parties that do not know a purpose (the Puente audit OID) do not reject the certificate.
        assertThat(certificate.getCriticalExtensionOIDs().contains(Extension.extendedKeyUsage.getId()))
                .isEqualTo(row.role().equals("tsa"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rows")
    void leaf_is_valid_for_three_years_from_one_hour_before_generation(Country country, Expectation row) {
        X509Certificate certificate = row.credential().apply(pki.country(country)).certificate();

        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(pki.generatedAt().minus(Duration.ofHours(1)));
        assertThat(certificate.getNotAfter().toInstant())
                .isEqualTo(pki.generatedAt().atZone(ZoneOffset.UTC).plusYears(3).toInstant());
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @ParameterizedTest
    @EnumSource(Country.class)
    void root_ca_is_a_critical_ca_with_cert_and_crl_signing_for_ten_years(Country country) throws Exception {
        X509Certificate root = pki.country(country).rootCa().certificate();

        assertThat(root.getSubjectX500Principal().getName())
                .isEqualTo("CN=Puente SAMPLE " + country + " Root CA,O=Puente SAMPLE - NOT FOR PRODUCTION,C=" + country);
        assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        root.verify(root.getPublicKey());
        assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(KeyUsageBit.of(root)).containsExactlyInAnyOrder(KEY_CERT_SIGN, CRL_SIGN);
        assertThat(root.getCriticalExtensionOIDs()).containsExactlyInAnyOrder(
                Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(root.getExtendedKeyUsage()).isNull();
        assertThat(root.getNotAfter().toInstant()).isEqualTo(pki.generatedAt().atZone(ZoneOffset.UTC).plusYears(10).toInstant());
        assertThat(authorityKeyId(root)).isEqualTo(subjectKeyId(root));
    }

    @ParameterizedTest
    @EnumSource(Country.class)
    void issuing_ca_has_path_length_zero_and_chains_to_the_root_by_key_identifier(Country country) throws Exception {
        CountryPki own = pki.country(country);
        X509Certificate issuing = own.issuingCa().certificate();

        assertThat(issuing.getSubjectX500Principal().getName())
                .isEqualTo("CN=Puente SAMPLE " + country + " Issuing CA,O=Puente SAMPLE - NOT FOR PRODUCTION,C=" + country);
        assertThat(issuing.getBasicConstraints()).isZero();
        assertThat(KeyUsageBit.of(issuing)).containsExactlyInAnyOrder(KEY_CERT_SIGN, CRL_SIGN);
        assertThat(issuing.getCriticalExtensionOIDs()).contains(Extension.keyUsage.getId(), Extension.basicConstraints.getId());
        assertThat(issuing.getNotAfter().toInstant()).isEqualTo(pki.generatedAt().atZone(ZoneOffset.UTC).plusYears(5).toInstant());
        assertThat(authorityKeyId(issuing)).isEqualTo(subjectKeyId(own.rootCa().certificate()));
        assertThat(authorityKeyId(own.gatewayTls().certificate())).isEqualTo(subjectKeyId(issuing));
        issuing.verify(own.rootCa().certificate().getPublicKey());
    }

    @Test
    void serials_are_positive_unique_and_at_most_128_bits() {
        List<BigInteger> serials = Stream.of(pki.us(), pki.mx()).flatMap(CertificateProfileTest::allCertificates)
                .map(X509Certificate::getSerialNumber).toList();

        assertThat(serials).hasSize(24).doesNotHaveDuplicates()
                .allSatisfy(serial -> assertThat(serial.signum()).isPositive())
                .allSatisfy(serial -> assertThat(serial.bitLength()).isLessThanOrEqualTo(128));
        // 24 random 128-bit serials all shorter than 120 bits would mean the randomness is broken.
        assertThat(serials).anySatisfy(serial -> assertThat(serial.bitLength()).isGreaterThan(120));
    }

    @ParameterizedTest
    @EnumSource(Country.class)
    void issuing_crl_revokes_only_the_revoked_agency_for_key_compromise_and_lives_thirty_days(Country country) {
        CountryPki own = pki.country(country);
        X509Certificate revoked = own.revokedAgency().certificate();

        assertThat(own.issuingCrl().getVersion()).isEqualTo(2);
        assertThat(own.issuingCrl().getIssuerX500Principal()).isEqualTo(own.issuingCa().certificate().getSubjectX500Principal());
        assertThat(own.issuingCrl().getRevokedCertificates()).singleElement().satisfies(entry -> {
            assertThat(entry.getSerialNumber()).isEqualTo(revoked.getSerialNumber());
            assertThat(entry.getRevocationReason()).isEqualTo(CRLReason.KEY_COMPROMISE);
        });
        assertThat(own.issuingCrl().getExtensionValue(Extension.cRLNumber.getId())).isNotNull();
        assertThat(Duration.between(own.issuingCrl().getThisUpdate().toInstant(), own.issuingCrl().getNextUpdate().toInstant()))
                .isEqualTo(Duration.ofDays(30));
        assertThat(own.rootCrl().getRevokedCertificates()).isNull();
        assertThat(own.rootCrl().getIssuerX500Principal()).isEqualTo(own.trustAnchor().getSubjectX500Principal());
    }

    private static Stream<X509Certificate> allCertificates(CountryPki pki) {
        Stream<IssuedCredential> credentials = Stream.concat(Stream.of(pki.rootCa(), pki.issuingCa(), pki.gatewaySigning(),
                pki.gatewayEncryption(), pki.gatewayTls(), pki.gatewayAudit(), pki.operator(), pki.auditor(), pki.revokedAgency(),
                pki.timeStampingAuthority()),
                pki.agencies().values().stream());
        return credentials.map(IssuedCredential::certificate);
    }

    private static List<String> alternativeNames(X509Certificate certificate) throws Exception {
        List<String> names = new ArrayList<>();
        for (List<?> name : certificate.getSubjectAlternativeNames()) {
            int tag = (Integer) name.get(0);
            String value = (String) name.get(1);
            names.add(tag + ":" + (tag == 7 ? InetAddress.getByName(value).getHostAddress() : value));
        }
        return names;
    }

    private static byte[] subjectKeyId(X509Certificate certificate) {
        return SubjectKeyIdentifier.getInstance(octets(certificate, Extension.subjectKeyIdentifier.getId())).getKeyIdentifier();
    }

    private static byte[] authorityKeyId(X509Certificate certificate) {
        return AuthorityKeyIdentifier.getInstance(octets(certificate, Extension.authorityKeyIdentifier.getId())).getKeyIdentifierOctets();
    }

    private static byte[] octets(X509Certificate certificate, String oid) {
        byte[] value = certificate.getExtensionValue(oid);
        assertThat(value).as(oid).isNotNull();
        return ASN1OctetString.getInstance(value).getOctets();
    }

    private static String lower(Country country) {
        return country.name().toLowerCase(Locale.ROOT);
    }
}
