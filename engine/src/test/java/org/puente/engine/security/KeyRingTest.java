package org.puente.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.puente.certs.IssuedCredential;
import org.puente.certs.PkiProfile;
import org.puente.certs.SamplePki;
import org.puente.engine.testing.TestClock;
import org.puente.envelope.EnvelopeOpener;
import org.puente.envelope.EnvelopeSealer;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.SigningKeys;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Issue 16, point 3: the gateway's keys reloaded without a restart. Every reload is checked like a
 * start and is all or nothing; what the peer sealed to the old encryption key before it learnt the
 * new one (the weakest moment of a rotation: an envelope in flight across the reload) still opens
 * during the overlap, and no longer after it.
 */
class KeyRingTest {
    private static final String US = "gateway.us.puente.sample";
    private static final Duration OVERLAP = Duration.ofHours(24);
    static SamplePki pki;
    static Map<String, IssuedCredential> renewed;

    final TestClock clock = new TestClock(Instant.now());
    final AtomicReference<KeyMaterial> keystore = new AtomicReference<>();
    KeyRing ring;

    @BeforeAll
    static void generate() {
        pki = SamplePki.generate();
        renewed = pki.renewGatewayKeys(Country.US, pki.generatedAt().plusSeconds(60));
    }

    @BeforeEach
    void start() {
        clock.set(pki.generatedAt().plusSeconds(120));
        keystore.set(keys(Map.of("signing", pki.us().gatewaySigning(), "encryption", pki.us().gatewayEncryption(),
                "tls", pki.us().gatewayTls(), "audit", pki.us().gatewayAudit()), clock));
        ring = new KeyRing(() -> java.util.Optional.ofNullable(keystore.get()).orElseThrow(() -> new PuenteException(
                ErrorCode.CONFIGURATION_INVALID, "puente.pki.keystore: wrong password or damaged file")), US, AlgorithmProfile.DEFAULT, true, OVERLAP, clock);
    }

    @Test
    void a_reload_puts_every_new_key_in_force_and_says_the_encryption_key_changed() {
        keystore.set(keys(renewed, clock));

        KeyRing.Reloaded done = ring.reload((before, after) -> { });

        assertThat(done.signing()).isEqualTo(renewed.get("signing").certificate());
        assertThat(done.encryption()).isEqualTo(renewed.get("encryption").certificate());
        assertThat(done.tls()).isEqualTo(renewed.get("tls").certificate());
        assertThat(done.audit()).isEqualTo(renewed.get("audit").certificate());
        assertThat(done.encryptionChanged()).isTrue();
        assertThat(ring.current().signingCertificate()).isEqualTo(renewed.get("signing").certificate());
        assertThat(ring.current().tlsChain().orElseThrow().get(0)).isEqualTo(renewed.get("tls").certificate());
        assertThat(ring.audit().signingCertificate()).isEqualTo(renewed.get("audit").certificate());
        assertThat(ring.current().encryptionCertificates())
                .containsExactly(renewed.get("encryption").certificate(), pki.us().gatewayEncryption().certificate());
    }

    @Test
    void an_envelope_sealed_to_the_old_key_before_the_reload_opens_after_it_and_not_after_the_overlap() {
        EnvelopeSealer mx = new EnvelopeSealer(SigningKeys.of(keys(Map.of("signing", pki.mx().gatewaySigning(),
                "encryption", pki.mx().gatewayEncryption(), "tls", pki.mx().gatewayTls()), clock), AlgorithmProfile.DEFAULT),
                CryptoProviders.RECOMMENDED, clock);
        byte[] inFlight = mx.seal(header(), "{}".getBytes(), pki.us().gatewayEncryption().certificate()).bytes();
        EnvelopeOpener opener = new EnvelopeOpener(ring::current, mxTrust(), AlgorithmProfile.DEFAULT,
                CryptoProviders.RECOMMENDED, 1 << 20);

        keystore.set(keys(renewed, clock));
        ring.reload((before, after) -> { });
        byte[] toNewKey = mx.seal(header(), "{}".getBytes(), renewed.get("encryption").certificate()).bytes();

        assertThat(opener.open(inFlight).payload()).isEqualTo("{}".getBytes());
        assertThat(opener.open(toNewKey).payload()).isEqualTo("{}".getBytes());
        // the peer has not confirmed the new certificate yet: the old key stays, however long that takes
        assertThat(ring.overlapEnds()).isEmpty();
        clock.advance(OVERLAP.multipliedBy(3));
        byte[] stillToOldKey = mx.seal(header(), "{}".getBytes(), pki.us().gatewayEncryption().certificate()).bytes();
        assertThat(opener.open(stillToOldKey).payload()).isEqualTo("{}".getBytes());

        ring.startOverlap();
        assertThat(ring.overlapEnds()).contains(clock.instant().plus(OVERLAP));
        assertThat(opener.open(stillToOldKey).payload()).isEqualTo("{}".getBytes());
        clock.advance(OVERLAP.plusSeconds(1));
        assertThat(ring.current().encryptionCertificates()).containsExactly(renewed.get("encryption").certificate());
        assertThatThrownBy(() -> opener.open(inFlight)).isInstanceOfSatisfying(PuenteException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENVELOPE_NOT_FOR_US));
        byte[] later = mx.seal(header(), "{}".getBytes(), renewed.get("encryption").certificate()).bytes();
        assertThat(opener.open(later).payload()).isEqualTo("{}".getBytes());
        // chosen again once, then the same keys until something changes
        assertThat(ring.current()).isSameAs(ring.current());
        assertThat(ring.overlapEnds()).isEmpty();
        assertThat(ring.retiring()).isEmpty();
    }

    @Test
    void a_staged_key_opens_at_once_and_signs_and_is_announced_only_from_its_not_before() {
        Instant from = clock.instant().plus(Duration.ofHours(1));
        Map<String, IssuedCredential> staged = pki.renewGatewayKeys(Country.US,
                from.plus(org.puente.certs.CertificateSpec.CLOCK_SKEW));
        var both = KeyMaterial.builder().clock(clock);
        add(both, current());
        add(both, staged);
        keystore.set(both.build());

        KeyRing.Reloaded done = ring.reload((before, after) -> { });

        assertThat(done.encryptionChanged()).isFalse();
        assertThat(ring.current().signingCertificate()).isEqualTo(pki.us().gatewaySigning().certificate());
        assertThat(ring.current().encryptionCertificate()).isEqualTo(pki.us().gatewayEncryption().certificate());
        assertThat(ring.current().encryptionCertificates()).contains(staged.get("encryption").certificate());
        clock.set(from.plusSeconds(1));
        assertThat(ring.current().signingCertificate()).isEqualTo(staged.get("signing").certificate());
        assertThat(ring.current().encryptionCertificate()).isEqualTo(staged.get("encryption").certificate());
        assertThat(ring.current().tlsChain().orElseThrow().get(0)).isEqualTo(staged.get("tls").certificate());
        assertThat(ring.audit().signingCertificate()).isEqualTo(staged.get("audit").certificate());
    }

    @Test
    void a_keystore_whose_certificates_name_another_gateway_is_refused_and_the_keys_in_force_stay() {
        keystore.set(keys(Map.of("signing", pki.mx().gatewaySigning(), "encryption", pki.mx().gatewayEncryption(),
                "tls", pki.mx().gatewayTls(), "audit", pki.mx().gatewayAudit()), clock));

        assertRefused(() -> ring.reload((before, after) -> { }), "is a certificate for 'gateway.mx.puente.sample'");
        assertThat(ring.current().signingCertificate()).isEqualTo(pki.us().gatewaySigning().certificate());
    }

    @Test
    void a_keystore_of_another_profile_is_refused() {
        SamplePki p384 = SamplePki.generate(PkiProfile.EC_P384, clock);
        keystore.set(keys(Map.of("signing", p384.us().gatewaySigning(), "encryption", p384.us().gatewayEncryption(),
                "tls", p384.us().gatewayTls(), "audit", p384.us().gatewayAudit()), clock));

        assertRefused(() -> ring.reload((before, after) -> { }), "does not fit the profile ec-p256-aes256gcm");
        assertThat(ring.current().encryptionCertificate()).isEqualTo(pki.us().gatewayEncryption().certificate());
    }

    @Test
    void a_key_staged_for_later_is_checked_now() {
        SamplePki p384 = SamplePki.generate(PkiProfile.EC_P384, clock);
        var withStaged = KeyMaterial.builder().clock(clock);
        add(withStaged, current());
        // a P-384 encryption key beside the P-256 one in use: not used yet, but it would be one day
        withStaged.encryption(p384.us().gatewayEncryption().key(), p384.us().gatewayEncryption().chain());
        keystore.set(withStaged.build());

        assertRefused(() -> ring.reload((before, after) -> { }), "(alias encryption): the key does not fit the profile");
    }

    @Test
    void a_keystore_without_its_audit_key_is_refused() {
        keystore.set(keys(Map.of("signing", renewed.get("signing"), "encryption", renewed.get("encryption"),
                "tls", renewed.get("tls")), clock));

        assertRefused(() -> ring.reload((before, after) -> { }), "has no \"audit\" key");
    }

    @Test
    void a_failed_preparation_refuses_the_reload_and_changes_nothing() {
        keystore.set(keys(renewed, clock));

        assertRefused(() -> ring.reload((before, after) -> {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "storage key 1 cannot be opened");
        }), "storage key 1 cannot be opened");
        assertThat(ring.current().signingCertificate()).isEqualTo(pki.us().gatewaySigning().certificate());
        assertThat(ring.current().encryptionCertificates()).containsExactly(pki.us().gatewayEncryption().certificate());
        assertThat(ring.retiring()).isEmpty();
    }

    @Test
    void an_unreadable_keystore_is_refused() {
        keystore.set(null);

        assertRefused(() -> ring.reload((before, after) -> { }), "wrong password or damaged file");
        assertThat(ring.current().signingCertificate()).isEqualTo(pki.us().gatewaySigning().certificate());
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String why) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PuenteException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.KEYS_REFUSED);
            assertThat(e.getMessage()).contains(why);
        });
    }

    private static Map<String, IssuedCredential> current() {
        return Map.of("signing", pki.us().gatewaySigning(), "encryption", pki.us().gatewayEncryption(),
                "tls", pki.us().gatewayTls(), "audit", pki.us().gatewayAudit());
    }

    private SignerTrust mxTrust() {
        return SignerTrust.builder().roots(java.util.List.of(pki.mx().rootCa().certificate()))
                .crls(pki.mx().crls()).clock(clock).expectedSignerName("gateway.mx.puente.sample").build();
    }

    private EnvelopeHeader header() {
        return org.puente.engine.testing.StoreFixtures.header(org.puente.model.Priority.NORMAL, clock.instant());
    }

    static KeyMaterial keys(Map<String, IssuedCredential> byAlias, java.time.Clock clock) {
        var b = KeyMaterial.builder().clock(clock);
        add(b, byAlias);
        return b.build();
    }

    /** Each credential under its role (the map's key). */
    static void add(org.puente.envelope.keys.KeyMaterialBuilder b, Map<String, IssuedCredential> byAlias) {
        byAlias.forEach((alias, c) -> {
            switch (alias) {
                case "signing" -> b.signing(c.key(), c.chain());
                case "encryption" -> b.encryption(c.key(), c.chain());
                case "tls" -> b.tls(c.key(), c.chain());
                case "audit" -> b.audit(c.key(), c.chain());
                default -> throw new IllegalArgumentException(alias);
            }
        });
    }
}
