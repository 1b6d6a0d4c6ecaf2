package org.puente.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.SamplePki;
import org.puente.engine.config.ClientEntry;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Issue 13, "also": a client is recognised by issuer and subject together (or its fingerprint),
 * never by its subject alone, and only with the extended key usage of a TLS client. The attack:
 * a second CA under the same root (an agency's own sub-CA, say) issues a certificate with CBP's
 * subject; or CBP's CA issues CBP's subject for e-mail signing, and it is presented over TLS.
 */
class ClientDirectoryTest {
    static SamplePki pki;
    static IssuedCredential cbp;
    static ClientDirectory directory;

    @BeforeAll
    static void pki() {
        pki = SamplePki.generate();
        cbp = pki.us().agency("CBP");
        directory = new ClientDirectory(Country.US, List.of(new ClientEntry("cbp", ClientEntry.Role.AGENCY, Optional.of("CBP"),
                Optional.of(cbp.certificate().getSubjectX500Principal()), Optional.empty(),
                Optional.of(pki.us().issuingCa().certificate().getSubjectX500Principal()))));
    }

    @Test
    void the_configured_subject_from_the_configured_issuer_is_the_client() {
        assertThat(directory.require(cbp.certificate()).clientId()).isEqualTo("cbp");
    }

    @Test
    void the_same_subject_issued_by_another_ca_under_the_same_root_is_forbidden() {
        IssuedCredential otherCa = new CertificateIssuer().issue(pki.us().rootCa(), CertificateSpec.builder(
                "CN=Puente SAMPLE US Second Issuing CA, O=Puente SAMPLE - NOT FOR PRODUCTION, C=US", pki.profile().generateKeyPair())
                .ca(0).keyUsage(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN).build());
        IssuedCredential lookalike = clientCertificate(otherCa, cbp.certificate().getSubjectX500Principal().getName(),
                KeyPurpose.CLIENT_AUTH);

        assertThat(directory.identify(lookalike.certificate())).isEmpty();
        assertThatThrownBy(() -> directory.require(lookalike.certificate())).isInstanceOf(PuenteException.class)
                .satisfies(e -> assertThat(((PuenteException) e).errorCode()).isEqualTo(ErrorCode.FORBIDDEN))
                .hasMessageContaining("Second Issuing CA").hasMessageContaining("is not a configured client");
    }

    @Test
    void the_right_subject_and_issuer_without_the_client_auth_purpose_is_forbidden() {
        IssuedCredential mailSigner = clientCertificate(pki.us().issuingCa(), cbp.certificate().getSubjectX500Principal().getName(),
                KeyPurpose.EMAIL_PROTECTION);

        assertThatThrownBy(() -> directory.require(mailSigner.certificate())).isInstanceOf(PuenteException.class)
                .satisfies(e -> assertThat(((PuenteException) e).errorCode()).isEqualTo(ErrorCode.FORBIDDEN))
                .hasMessageContaining("lacks the extended key usage clientAuth");
    }

    @Test
    void an_entry_with_a_subject_but_no_issuer_recognises_no_one() {
        ClientDirectory subjectOnly = new ClientDirectory(Country.US, List.of(new ClientEntry("cbp", ClientEntry.Role.AGENCY,
                Optional.of("CBP"), Optional.of(cbp.certificate().getSubjectX500Principal()), Optional.empty())));

        assertThat(subjectOnly.identify(cbp.certificate())).isEmpty();
    }

    private static IssuedCredential clientCertificate(IssuedCredential issuer, String subject, KeyPurpose purpose) {
        return new CertificateIssuer().issue(issuer, CertificateSpec.builder(subject, pki.profile().generateKeyPair())
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(purpose).build());
    }
}
