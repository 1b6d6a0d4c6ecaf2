package org.puente.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.puente.certs.CountryPki;
import org.puente.certs.SamplePki;
import org.puente.engine.testing.SoftHsmToken;
import org.puente.engine.testing.StoreFixtures;
import org.puente.envelope.EnvelopeOpener;
import org.puente.envelope.EnvelopeSealer;
import org.puente.envelope.OpenedEnvelope;
import org.puente.envelope.StorageKeyEnvelope;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.Pkcs11Token;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The US gateway's keys in a SoftHSM2 token (imported with SoftHSM's and OpenSC's tools, sensitive
 * and not extractable), the MX gateway's in memory: messages both ways, the storage key, an audit
 * statement and a TLS handshake, every private-key operation of the US side inside the token.
 */
class Pkcs11KeysTest {
    private static final AlgorithmProfile PROFILE = AlgorithmProfile.EC_P256_AES256GCM;
    private static SamplePki pki;
    private static KeyMaterial us;
    private static KeyMaterial mx;

    @BeforeAll
    static void token() throws Exception {
        Assumptions.assumeTrue(SoftHsmToken.unavailable().isEmpty(),
                () -> "PKCS#11 tests skipped: " + SoftHsmToken.unavailable().orElse(""));
        pki = SamplePki.generate();
        SoftHsmToken.create("puente-us", pki.us());
        us = Pkcs11Token.load(Pkcs11Token.Settings.of(SoftHsmToken.LIBRARY, 0), SoftHsmToken.PIN.toCharArray(),
                Clock.systemUTC());
        mx = keys(pki.mx());
    }

    @Test
    void the_token_keys_sign_what_the_peer_opens_and_open_what_the_peer_sealed() {
        EnvelopeHeader toMx = header();
        byte[] payload = "{\"trip\":\"T-HSM-1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] sealedByToken = new EnvelopeSealer(us, PROFILE).seal(toMx, payload,
                pki.mx().gatewayEncryption().certificate()).bytes();
        OpenedEnvelope atMx = new EnvelopeOpener(mx, trustOf(pki.us(), "gateway.us.puente.sample"), PROFILE)
                .open(sealedByToken, toMx);
        assertThat(atMx.payload()).isEqualTo(payload);
        assertThat(atMx.signer()).isEqualTo(pki.us().gatewaySigning().certificate());

        EnvelopeHeader toUs = header();
        byte[] sealedForToken = new EnvelopeSealer(mx, PROFILE).seal(toUs, payload,
                pki.us().gatewayEncryption().certificate()).bytes();
        OpenedEnvelope atUs = new EnvelopeOpener(us, trustOf(pki.mx(), "gateway.mx.puente.sample"), PROFILE)
                .open(sealedForToken, toUs);
        assertThat(atUs.payload()).as("ECDH with the token's encryption key").isEqualTo(payload);
    }

    @Test
    void the_storage_key_seals_and_opens_with_the_token_keys() {
        byte[] key = new byte[StorageKeyEnvelope.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        byte[] sealed = StorageKeyEnvelope.seal(1, key, us, PROFILE, CryptoProviders.RECOMMENDED, Clock.systemUTC());

        assertThat(StorageKeyEnvelope.open(sealed, 1, us, PROFILE, CryptoProviders.RECOMMENDED).key()).isEqualTo(key);
    }

    @Test
    void the_token_audit_key_signs_checkpoints_the_auditors_verify() {
        KeyMaterial audit = us.auditSigning().orElseThrow();
        byte[] content = "{\"checkpoint\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] signed = new StatementSigner(audit, PROFILE).sign(StatementType.AUDIT_CHECKPOINT, content);

        SignerTrust auditors = trustOf(pki.us(), "gateway.us.puente.sample")
                .forPurpose(org.bouncycastle.asn1.x509.KeyPurposeId.getInstance(org.puente.envelope.PuenteOids.AUDIT_SIGNING));
        assertThat(StatementVerifier.anyAgreedProfile().verify(signed, StatementType.AUDIT_CHECKPOINT, auditors).content())
                .isEqualTo(content);
    }

    @Test
    void a_tls_handshake_is_signed_by_the_token_tls_key_and_by_nothing_else() throws Exception {
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        server.init(us.tlsKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("us-root", pki.us().trustAnchor());
        tmf.init(roots);
        SSLContext client = SSLContext.getInstance("TLSv1.3");
        client.init(null, tmf.getTrustManagers(), null);

        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(1);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.getLocalPort());
                 InputStream in = socket.getInputStream()) {
                assertThat(in.read()).isEqualTo(1);
                assertThat(socket.getSession().getPeerCertificates()[0])
                        .isEqualTo(pki.us().gatewayTls().certificate());
            }
            answered.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_role_whose_label_the_token_lacks_is_a_configuration_error_naming_the_label() {
        Pkcs11Token.Settings missing = new Pkcs11Token.Settings(SoftHsmToken.LIBRARY, 0, Map.of("audit", "no-such-key"));
        assertThatThrownBy(() -> Pkcs11Token.load(missing, SoftHsmToken.PIN.toCharArray(), Clock.systemUTC()))
                .isInstanceOfSatisfying(PuenteException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                    assertThat(e.getMessage()).contains("\"no-such-key\"", "audit");
                });
    }

    private static EnvelopeHeader header() {
        return StoreFixtures.header(Priority.NORMAL, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static SignerTrust trustOf(CountryPki sender, String name) {
        return SignerTrust.builder().roots(List.of(sender.trustAnchor())).crls(sender.crls())
                .expectedSignerName(name).build();
    }

    private static KeyMaterial keys(CountryPki c) {
        return KeyMaterial.builder()
                .signing(c.gatewaySigning().key(), c.gatewaySigning().chain())
                .encryption(c.gatewayEncryption().key(), c.gatewayEncryption().chain())
                .tls(c.gatewayTls().key(), c.gatewayTls().chain())
                .audit(c.gatewayAudit().key(), c.gatewayAudit().chain())
                .build();
    }
}
