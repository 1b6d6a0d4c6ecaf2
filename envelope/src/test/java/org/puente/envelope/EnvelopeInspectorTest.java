package org.puente.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.envelope.crypto.AlgorithmProfile;

class EnvelopeInspectorTest {

    @ParameterizedTest
    @EnumSource(AlgorithmProfile.class)
    void describes_recipient_algorithms_and_sizes_without_a_key(AlgorithmProfile profile) throws Exception {
        Gateways g = Gateways.of(profile);
        byte[] envelope = g.usSealer().seal(Gateways.header(), new byte[1000], g.mxEncryption()).bytes();

        EnvelopeInspector.Description d = EnvelopeInspector.describe(envelope, profile);

        assertThat(d.totalBytes()).isEqualTo(envelope.length);
        assertThat(d.contentType()).startsWith("id-ct-authEnvelopedData");
        assertThat(d.recipients()).hasSize(1);
        // the KEM recipient is named by subject key identifier (RecipientInfoFactory), the others by issuer and serial
        assertThat(d.recipients().get(0).identifier()).contains(profile.isPostQuantum()
                ? "subject key identifier " + java.util.HexFormat.of().formatHex(new org.bouncycastle.cert.jcajce
                        .JcaX509ExtensionUtils().createSubjectKeyIdentifier(g.mxEncryption().getPublicKey()).getKeyIdentifier())
                : g.mxEncryption().getSerialNumber().toString(16));
        assertThat(d.recipients().get(0).kind()).startsWith(profile.isPostQuantum() ? "key encapsulation"
                : profile.isEllipticCurve() ? "key agreement" : "key transport");
        assertThat(d.contentCipher()).startsWith("aes256-GCM");
        assertThat(d.nonceBytes()).isEqualTo(12);
        assertThat(d.tagBytes()).isEqualTo(16);
        assertThat(d.encryptedContentBytes()).isGreaterThan(1000);
        assertThat(d.acceptableToProfile()).isTrue();
        assertThat(d.lines()).anyMatch(l -> l.startsWith("profile check: OK"));
    }

    @ParameterizedTest
    @EnumSource(value = AlgorithmProfile.class, names = "EC_P384_AES256GCM")
    void says_when_an_envelope_does_not_fit_the_profile(AlgorithmProfile other) {
        Gateways g = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);
        byte[] envelope = g.usSealer().seal(Gateways.header(), new byte[10], g.mxEncryption()).bytes();

        assertThat(EnvelopeInspector.describe(envelope, other).acceptableToProfile()).isFalse();
        assertThatThrownBy(() -> EnvelopeInspector.describe(new byte[] {1, 2, 3}, other))
                .isInstanceOf(PuenteException.class)
                .extracting(e -> ((PuenteException) e).errorCode()).isEqualTo(ErrorCode.ENVELOPE_UNREADABLE);
    }
}
