package org.puente.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.CountryPki;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.Revocation;
import org.puente.certs.SamplePki;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.config.GatewayConfigLoader;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The start-up and run-time trust decisions of issue 13 on the US gateway's security, from a
 * sample PKI written for each test: the SAMPLE-key guard (point 6), the CRL reload that swaps
 * everything or nothing (point 3), the validation of the peer's encryption certificate at start
 * and on every reload and the refusal to seal to it once revoked or expired (point 8), and the
 * roots that may not be shared by both countries.
 */
class GatewaySecurityTest {
    @TempDir
    Path dir;
    Path pkiDir;
    SamplePki pki;
    Map<String, String> props;

    @BeforeEach
    void writeSampleSet() {
        pkiDir = dir.resolve("pki");
        pki = SamplePki.generate();
        pki.writeTo(pkiDir, SamplePki.samplePassword());
        props = new LinkedHashMap<>();
        props.put("puente.country", "US");
        props.put("puente.gateway.name", "gateway.us.puente.sample");
        props.put("puente.data.dir", dir.resolve("data").toString());
        props.put("puente.pki.dir", pkiDir.toString());
        props.put("puente.pki.keystore", "us/gateway.p12");
        props.put("puente.pki.trust.own", "us/root-ca.pem");
        props.put("puente.pki.trust.peer", "mx/root-ca.pem");
        props.put("puente.pki.crls", "us/root-ca.crl.pem,us/issuing-ca.crl.pem,mx/root-ca.crl.pem,mx/issuing-ca.crl.pem");
        props.put("puente.peer.name", "gateway.mx.puente.sample");
        props.put("puente.peer.url", "https://localhost:9444");
        props.put("puente.peer.encryption-certificate", "mx/gateway-encryption.chain.pem");
        props.put("puente.sample", "true");
        props.put("puente.clients", "cbp");
        props.put("puente.client.cbp.role", "agency");
        props.put("puente.client.cbp.agency", "CBP");
        props.put("puente.client.cbp.subject", pki.us().agency("CBP").certificate().getSubjectX500Principal().getName());
        props.put("puente.client.cbp.issuer", pki.us().issuingCa().certificate().getSubjectX500Principal().getName());
    }

    private GatewaySecurity security() {
        return security(Clock.systemUTC());
    }

    private GatewaySecurity security(Clock clock) {
        return new GatewaySecurity(config(), clock);
    }

    private GatewayConfig config() {
        return new GatewayConfigLoader(MessageCatalogue.standard()).load(k -> Optional.ofNullable(props.get(k)));
    }

    private static String configurationError(Runnable start) {
        try {
            start.run();
        } catch (PuenteException e) {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("the gateway started");
    }

    // --- point 6: the public SAMPLE keys ---

    @Test
    void a_keystore_of_the_sample_pki_stops_the_start_in_one_line_naming_the_key_unless_puente_sample_is_true() {
        props.remove("puente.sample");

        assertThat(configurationError(this::security)).contains("puente.pki.keystore holds the 'signing' key of the public SAMPLE PKI")
                .contains("OU=Gateway").contains("puente.sample=true");

        props.put("puente.sample", "false");
        assertThat(configurationError(this::security)).contains("SAMPLE PKI");

        props.put("puente.sample", "true");
        assertThat(security().keys().signingCertificate()).isNotNull();
    }

    // --- keys in a PKCS#11 token (the token itself: Pkcs11KeysTest, HsmGatewayTest) ---

    @Test
    void a_pkcs11_library_replaces_the_keystore_and_its_absence_or_a_missing_pin_stops_the_start_by_name() {
        props.remove("puente.pki.keystore");
        props.put("puente.pki.pkcs11.library", dir.resolve("no-such-library.so").toString());
        assertThat(configurationError(this::config)).contains("puente.pki.pkcs11.library");

        props.put("puente.pki.pkcs11.library", pkiDir.resolve("us/root-ca.pem").toString()); // a readable file
        props.put("puente.pki.pkcs11.pin-env", "PUENTE_TEST_PIN_THAT_IS_NOT_SET");
        props.put("puente.pki.pkcs11.label.audit", "us-audit-2026");
        GatewayConfig.Pkcs11 token = config().pki().keys().token().orElseThrow();
        assertThat(token.slotIndex()).isZero();
        assertThat(token.labels()).containsExactly(Map.entry("audit", "us-audit-2026"));
        assertThat(configurationError(this::security)).contains("PUENTE_TEST_PIN_THAT_IS_NOT_SET").contains("PIN");
    }

    // --- also: separate roots ---

    @Test
    void the_same_root_for_both_countries_stops_the_start() {
        props.put("puente.pki.trust.peer", "mx/root-ca.pem,us/root-ca.pem");

        assertThat(configurationError(this::security)).contains("puente.pki.trust.own and puente.pki.trust.peer share the root")
                .contains("Puente SAMPLE US Root CA");
    }

    // --- point 3: the CRLs, all or nothing ---

    @Test
    void emptied_crl_files_are_refused_and_every_trust_object_keeps_the_crls_in_force() throws Exception {
        GatewaySecurity security = security();
        List<X509CRL> before = security.peerTrust().crls();
        Instant nextUpdate = security.crlNextUpdate();
        Files.write(pkiDir.resolve("us/root-ca.crl.pem"), new byte[0]);
        Files.write(pkiDir.resolve("us/issuing-ca.crl.pem"), new byte[0]);

        assertThatThrownBy(security::reloadCrls).isInstanceOf(PuenteException.class)
                .satisfies(e -> assertThat(((PuenteException) e).errorCode()).isEqualTo(ErrorCode.CRLS_REFUSED))
                .hasMessageContaining("us/root-ca.crl.pem holds no CRL").hasMessageContaining("previous CRLs stay in force");

        assertThat(security.peerTrust().crls()).as("envelope trust").isSameAs(before);
        assertThat(security.crlNextUpdate()).isEqualTo(nextUpdate);
        assertThat(security.lastReload()).hasValueSatisfying(o -> assertThat(o.failed()).isTrue());
        // the TLS trust of the agency listener still refuses the revoked agency and admits the good one
        X509Certificate[] good = pki.us().agency("CBP").chainArray();
        javax.net.ssl.X509ExtendedTrustManager tls = trustManager(security);
        assertThatThrownBy(() -> tls.checkClientTrusted(pki.us().revokedAgency().chainArray(), "EC"))
                .isInstanceOf(CertificateException.class);
        tls.checkClientTrusted(good, "EC");
    }

    @Test
    void a_stale_crl_stops_the_start_naming_the_key_and_the_ca() {
        writeCrl("mx/issuing-ca.crl.pem", new CertificateIssuer().crl(pki.mx().issuingCa(), Instant.now().minus(Duration.ofDays(40)),
                Instant.now().minus(Duration.ofDays(10)), BigInteger.TEN, List.of()));

        assertThat(configurationError(this::security)).startsWith("configuration_invalid").contains("puente.pki.crls")
                .contains("Puente SAMPLE MX Issuing CA").contains("expired at");
    }

    @Test
    void a_successful_reload_reports_what_it_loaded_and_the_first_next_update() {
        GatewaySecurity security = security();
        writeCrl("us/issuing-ca.crl.pem", new CertificateIssuer().crl(pki.us().issuingCa(), Instant.now().minusSeconds(1),
                Instant.now().plus(Duration.ofDays(2)), BigInteger.TWO, List.of(Revocation.of(
                        pki.us().revokedAgency().certificate(), Instant.now().minusSeconds(60), Revocation.Reason.KEY_COMPROMISE))));

        GatewaySecurity.CrlReload done = security.reloadCrls();

        assertThat(done.crls()).isEqualTo(4);
        assertThat(done.nextUpdate()).isBefore(Instant.now().plus(Duration.ofDays(2)).plusSeconds(1));
        assertThat(security.crlNextUpdate()).isEqualTo(done.nextUpdate());
        assertThat(done.peerKeyRefusal()).isEmpty();
        assertThat(security.lastReload()).hasValueSatisfying(o -> assertThat(o.failed()).isFalse());
    }

    // --- point 8: the peer's encryption certificate ---

    @Test
    void a_revoked_peer_encryption_certificate_found_on_a_reload_stops_sealing_with_peer_key_unusable() {
        GatewaySecurity security = security();
        PeerEnvelopes envelopes = envelopes(security);
        assertThat(envelopes.seal(header(), "{}".getBytes(StandardCharsets.UTF_8)).bytes()).isNotEmpty();
        revokePeerEncryption();

        GatewaySecurity.CrlReload done = security.reloadCrls();

        assertThat(done.peerKeyRefusal()).contains("was revoked by its CA");
        assertThat(done.summary()).contains("nothing is sealed to it");
        assertThatThrownBy(() -> envelopes.seal(header(), "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PuenteException.class)
                .satisfies(e -> assertThat(((PuenteException) e).errorCode()).isEqualTo(ErrorCode.PEER_KEY_UNUSABLE))
                .hasMessageContaining("gateway.mx.puente.sample").hasMessageContaining("was revoked by its CA");
    }

    @Test
    void a_peer_encryption_certificate_revoked_at_start_up_lets_the_gateway_start_but_nothing_is_sealed_to_it() {
        revokePeerEncryption();

        GatewaySecurity security = security();

        assertThat(security.peerRecipient().refusal()).contains("was revoked by its CA");
        assertThatThrownBy(() -> envelopes(security).seal(header(), new byte[] {'{', '}'}))
                .isInstanceOf(PuenteException.class)
                .satisfies(e -> assertThat(((PuenteException) e).errorCode()).isEqualTo(ErrorCode.PEER_KEY_UNUSABLE));
    }

    @Test
    void a_peer_encryption_certificate_that_expires_while_running_stops_sealing_at_its_expiry() {
        Instant notAfter = pki.mx().gatewayEncryption().certificate().getNotAfter().toInstant();
        MutableClock clock = new MutableClock(Instant.now());
        GatewaySecurity security = security(clock);
        assertThat(security.peerRecipient().refusal()).isEmpty();

        clock.now = notAfter.plusSeconds(1);

        assertThat(security.peerRecipient().refusal()).hasValueSatisfying(r -> assertThat(r).startsWith("expired at"));
        assertThatThrownBy(() -> security.peerRecipient().require()).isInstanceOf(PuenteException.class)
                .satisfies(e -> assertThat(((PuenteException) e).errorCode()).isEqualTo(ErrorCode.PEER_KEY_UNUSABLE));
    }

    @Test
    void a_peer_encryption_certificate_without_key_agreement_stops_the_start() {
        // the MX gateway's signing certificate has the right name and chain, but may not receive envelopes
        writeChain("mx/peer-encryption.pem", pki.mx().gatewaySigning());
        props.put("puente.peer.encryption-certificate", "mx/peer-encryption.pem");

        assertThat(configurationError(this::security)).contains("puente.peer.encryption-certificate")
                .contains("keyAgreement");
    }

    @Test
    void a_peer_encryption_certificate_issued_under_our_own_root_stops_the_start() {
        IssuedCredential forged = new CertificateIssuer().issue(pki.us().issuingCa(), CertificateSpec.builder(
                        "CN=gateway.mx.puente.sample, OU=Gateway Encryption, O=Puente SAMPLE - NOT FOR PRODUCTION, C=MX",
                        pki.profile().generateKeyPair())
                .keyUsage(KeyUsageBit.KEY_AGREEMENT).extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
        writeChain("mx/peer-encryption.pem", forged);
        props.put("puente.peer.encryption-certificate", "mx/peer-encryption.pem");

        assertThat(configurationError(this::security)).contains("puente.peer.encryption-certificate")
                .contains("does not chain");
    }

    @Test
    void a_peer_encryption_certificate_given_without_its_ca_certificates_stops_the_start_saying_what_to_give() {
        props.put("puente.peer.encryption-certificate", "mx/gateway-encryption.pem");

        assertThat(configurationError(this::security)).contains("puente.peer.encryption-certificate")
                .contains("followed by its CA certificates");
    }

    // --- also: the identity of TLS clients ---

    @Test
    void a_tls_client_certificate_without_the_client_auth_purpose_is_refused_by_the_listener_trust() {
        // the JDK refuses an extended key usage that names other purposes; a certificate without the
        // extension at all is valid for any purpose to the JDK (RFC 5280), and refused by the gateway's rule
        String cbp = pki.us().agency("CBP").certificate().getSubjectX500Principal().getName();
        IssuedCredential signingOnly = new CertificateIssuer().issue(pki.us().issuingCa(), CertificateSpec.builder(
                        cbp, pki.profile().generateKeyPair())
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
        IssuedCredential anyPurpose = new CertificateIssuer().issue(pki.us().issuingCa(), CertificateSpec.builder(
                        cbp, pki.profile().generateKeyPair())
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).build());

        assertThatThrownBy(() -> trustManager(security()).checkClientTrusted(signingOnly.chainArray(), "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("Extended key usage does not permit use for TLS client authentication");
        assertThatThrownBy(() -> trustManager(security()).checkClientTrusted(anyPurpose.chainArray(), "EC"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("lacks the extended key usage clientAuth");
    }

    @Test
    void a_client_configured_by_subject_without_its_issuer_stops_the_start_naming_the_key() {
        props.remove("puente.client.cbp.issuer");

        assertThat(configurationError(this::config)).contains("puente.client.cbp.issuer is missing");
    }

    // --- helpers ---

    private static javax.net.ssl.X509ExtendedTrustManager trustManager(GatewaySecurity security) {
        return security.ownClientsTrust();
    }

    private void revokePeerEncryption() {
        CountryPki mx = pki.mx();
        writeCrl("mx/issuing-ca.crl.pem", new CertificateIssuer().crl(mx.issuingCa(), Instant.now().minusSeconds(1),
                Instant.now().plus(Duration.ofDays(7)), BigInteger.TWO, List.of(
                        Revocation.of(mx.revokedAgency().certificate(), Instant.now().minusSeconds(60), Revocation.Reason.KEY_COMPROMISE),
                        Revocation.of(mx.gatewayEncryption().certificate(), Instant.now().minusSeconds(60),
                                Revocation.Reason.KEY_COMPROMISE))));
    }

    private static PeerEnvelopes envelopes(GatewaySecurity security) {
        return new PeerEnvelopes(security::keys, security.profile(), security.peerRecipient(), security.peerTrust(),
                1 << 20, "gateway.us.puente.sample", "gateway.mx.puente.sample", Clock.systemUTC());
    }

    private static EnvelopeHeader header() {
        return org.puente.engine.testing.StoreFixtures.header(org.puente.model.Priority.NORMAL, Instant.now());
    }

    private void writeCrl(String file, X509CRL crl) {
        try {
            writePem(file, "X509 CRL", crl.getEncoded());
        } catch (CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void writeChain(String file, IssuedCredential credential) {
        StringBuilder pem = new StringBuilder();
        try {
            for (X509Certificate c : credential.chain()) {
                pem.append(pem(c.getEncoded(), "CERTIFICATE"));
            }
            Files.writeString(pkiDir.resolve(file), pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void writePem(String file, String type, byte[] der) {
        try {
            Files.writeString(pkiDir.resolve(file), pem(der, type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(byte[] der, String type) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** A clock a test moves. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
