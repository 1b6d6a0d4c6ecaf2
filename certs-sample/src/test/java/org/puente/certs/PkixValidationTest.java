package org.puente.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertPathValidatorException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXReason;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.puente.model.Country;

/** The sample chains as the JDK's PKIX validator sees them, with CRL checking on. */
class PkixValidationTest {
    private final SamplePki pki = Fixtures.ecP256();

    static Stream<Arguments> everyValidLeaf() {
        return Stream.of(Country.values())
                .flatMap(country -> Fixtures.validLeaves(country).stream().map(leaf -> Arguments.of(country, leaf)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyValidLeaf")
    void every_leaf_validates_to_its_own_root_with_revocation_checked(Country country, Fixtures.Leaf leaf) throws Exception {
        CountryPki own = pki.country(country);

        PKIXCertPathValidatorResult result = Fixtures.pkixValidate(leaf.credential().apply(own), own);

        assertThat(result.getTrustAnchor().getTrustedCert()).isEqualTo(own.rootCa().certificate());
        assertThat(result.getPublicKey()).isEqualTo(leaf.credential().apply(own).certificate().getPublicKey());
    }

    @ParameterizedTest
    @EnumSource(Country.class)
    void issuing_ca_validates_to_its_root_with_revocation_checked(Country country) throws Exception {
        CountryPki own = pki.country(country);

        PKIXCertPathValidatorResult result = Fixtures.pkixValidate(own.issuingCa(), own);

        assertThat(result.getTrustAnchor().getTrustedCert()).isEqualTo(own.trustAnchor());
    }

    @ParameterizedTest
    @EnumSource(Country.class)
    void revoked_agency_certificate_is_reported_as_revoked(Country country) throws Exception {
        CountryPki own = pki.country(country);

        assertThatThrownBy(() -> Fixtures.pkixValidate(own.revokedAgency(), own))
                .isInstanceOfSatisfying(CertPathValidatorException.class, e -> {
                    assertThat(e.getReason()).isEqualTo(CertPathValidatorException.BasicReason.REVOKED);
                    assertThat(e.getIndex()).isZero();
                    assertThat(e.getMessage()).contains("KEY_COMPROMISE");
                });
    }

    @ParameterizedTest
    @EnumSource(Country.class)
    void a_leaf_of_one_country_does_not_validate_against_the_other_countrys_root(Country country) {
        CountryPki own = pki.country(country);
        CountryPki peer = pki.country(country.peer());

        assertThatThrownBy(() -> Fixtures.pkixValidate(own.gatewaySigning().chain(), peer.trustAnchor(), peer.crls(), new Date()))
                .isInstanceOfSatisfying(CertPathValidatorException.class,
                        e -> assertThat(e.getReason()).isEqualTo(PKIXReason.NO_TRUST_ANCHOR));
    }

    @Test
    void validation_needs_the_crls_so_they_are_really_used() {
        CountryPki us = pki.us();

        assertThatThrownBy(() -> Fixtures.pkixValidate(us.agency("CBP").chain(), us.trustAnchor(), List.<X509CRL>of(), new Date()))
                .isInstanceOfSatisfying(CertPathValidatorException.class, e -> assertThat(e.getReason())
                        .isEqualTo(CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS));
    }

    @Test
    void the_root_crl_alone_does_not_cover_the_leaves() {
        CountryPki mx = pki.mx();

        assertThatThrownBy(() -> Fixtures.pkixValidate(mx.agency("SAT").chain(), mx.trustAnchor(), List.of(mx.rootCrl()), new Date()))
                .isInstanceOfSatisfying(CertPathValidatorException.class, e -> {
                    assertThat(e.getReason()).isEqualTo(CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS);
                    assertThat(e.getIndex()).isZero();
                });
    }

    @Test
    void chains_are_rejected_once_the_crls_are_past_their_next_update() {
        CountryPki us = pki.us();
        // A day after: the JDK tolerates 15 minutes of clock skew on CRL dates.
        Date afterNextUpdate = new Date(us.issuingCrl().getNextUpdate().getTime() + Duration.ofDays(1).toMillis());

        assertThatThrownBy(() -> Fixtures.pkixValidate(us.operator().chain(), us.trustAnchor(), us.crls(), afterNextUpdate))
                .isInstanceOfSatisfying(CertPathValidatorException.class, e -> assertThat(e.getReason())
                        .isEqualTo(CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS));
    }
}
