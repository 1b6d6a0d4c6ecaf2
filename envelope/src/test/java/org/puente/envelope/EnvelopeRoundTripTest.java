package org.puente.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.puente.model.EnvelopeHeader;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;

class EnvelopeRoundTripTest {
    private static final Gateways P256 = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);

    @ParameterizedTest
    @EnumSource(AlgorithmProfile.class)
    void opens_what_it_sealed_in_every_profile(AlgorithmProfile profile) {
        Gateways g = Gateways.of(profile);
        EnvelopeHeader header = Gateways.header();
        byte[] payload = "{\"trip\":\"T-1\"}".getBytes(StandardCharsets.UTF_8);

        SealedEnvelope sealed = g.usSealer().seal(header, payload, g.mxEncryption());
        OpenedEnvelope opened = g.mxOpener().open(sealed.bytes(), header);

        assertThat(opened.header()).isEqualTo(header);
        assertThat(opened.payload()).isEqualTo(payload);
        assertThat(opened.signer()).isEqualTo(g.pki.us().gatewaySigning().certificate());
        assertThat(opened.envelopeSha256()).isEqualTo(Fingerprints.sha256(sealed.bytes())).isEqualTo(sealed.sha256());
        assertThat(opened.payloadSha256()).isEqualTo(Fingerprints.sha256(payload));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 127, 128, 255, 256, 65_535, 65_536, 1_048_576 + 3})
    void keeps_payloads_of_every_length_byte_for_byte(int length) {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);
        EnvelopeHeader header = Gateways.header();

        SealedEnvelope sealed = P256.usSealer().seal(header, payload, P256.mxEncryption());

        assertThat(P256.mxOpener().open(sealed.bytes(), header).payload()).isEqualTo(payload);
    }

    @Test
    void streamed_sealing_gives_an_envelope_the_opener_accepts_with_the_same_digest() {
        byte[] payload = new byte[300_000];
        new Random(7).nextBytes(payload);
        EnvelopeHeader header = Gateways.header();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SealSummary summary = P256.usSealer().seal(header, new ByteArrayInputStream(payload), payload.length,
                P256.mxEncryption(), out);

        assertThat(summary.length()).isEqualTo(out.size());
        assertThat(summary.sha256()).isEqualTo(Fingerprints.sha256(out.toByteArray()));
        assertThat(P256.mxOpener().open(out.toByteArray(), header).payload()).isEqualTo(payload);
    }

    @Test
    void two_seals_of_the_same_message_differ_because_keys_and_nonces_are_fresh() {
        EnvelopeHeader header = Gateways.header();
        byte[] payload = "same".getBytes(StandardCharsets.UTF_8);

        byte[] a = P256.usSealer().seal(header, payload, P256.mxEncryption()).bytes();
        byte[] b = P256.usSealer().seal(header, payload, P256.mxEncryption()).bytes();

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void opening_without_a_routing_header_returns_the_signed_header() {
        EnvelopeHeader header = Gateways.header();
        SealedEnvelope sealed = P256.usSealer().seal(header, new byte[] {1, 2, 3}, P256.mxEncryption());

        assertThat(P256.mxOpener().open(sealed.bytes()).header()).isEqualTo(header);
    }

    @Test
    void bouncy_castle_only_providers_interoperate_with_the_recommended_split() {
        EnvelopeHeader header = Gateways.header();
        byte[] payload = new byte[5000];
        EnvelopeSealer bcSealer = new EnvelopeSealer(P256.usKeys, P256.profile, CryptoProviders.BOUNCY_CASTLE_ONLY,
                java.time.Clock.systemUTC());
        EnvelopeOpener bcOpener = new EnvelopeOpener(P256.mxKeys, P256.mxTrust(), P256.profile,
                CryptoProviders.BOUNCY_CASTLE_ONLY, EnvelopeOpener.DEFAULT_MAX_PAYLOAD_BYTES);

        assertThat(P256.mxOpener().open(bcSealer.seal(header, payload, P256.mxEncryption()).bytes(), header).payload())
                .isEqualTo(payload);
        assertThat(bcOpener.open(P256.usSealer().seal(header, payload, P256.mxEncryption()).bytes(), header).payload())
                .isEqualTo(payload);
    }
}
