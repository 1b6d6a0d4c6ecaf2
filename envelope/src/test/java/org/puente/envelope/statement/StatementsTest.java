package org.puente.envelope.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.Gateways;
import org.puente.envelope.signature.VerifiedSignature;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

class StatementsTest {
    private static final Gateways G = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);
    private static final byte[] JSON = "{\"at\":\"2026-11-28T20:00:00.000Z\",\"seq\":42}".getBytes(StandardCharsets.UTF_8);
    private final StatementSigner usSigner = new StatementSigner(G.usKeys, G.profile);
    private final StatementVerifier verifier = new StatementVerifier(G.profile);

    @ParameterizedTest
    @EnumSource(StatementType.class)
    void verifies_every_statement_type_and_returns_its_content(StatementType type) {
        byte[] cms = usSigner.sign(type, JSON);

        VerifiedStatement v = verifier.verify(cms, type, G.mxTrust());

        assertThat(v.type()).isEqualTo(type);
        assertThat(v.content()).isEqualTo(JSON);
        assertThat(v.signer()).isEqualTo(G.pki.us().gatewaySigning().certificate());
    }

    @Test
    void refuses_a_statement_of_another_type() {
        byte[] ping = usSigner.sign(StatementType.PING, JSON);

        assertCode(() -> verifier.verify(ping, StatementType.RECEIPT, G.mxTrust()), ErrorCode.ENVELOPE_UNREADABLE);
    }

    @Test
    void refuses_a_statement_whose_content_was_changed() {
        byte[] cms = usSigner.sign(StatementType.AUDIT_CHECKPOINT, JSON);
        int at = indexOf(cms, "seq".getBytes(StandardCharsets.UTF_8));
        cms[at] = 'S';

        assertCode(() -> verifier.verify(cms, StatementType.AUDIT_CHECKPOINT, G.mxTrust()), ErrorCode.BAD_SIGNATURE);
    }

    @Test
    void checks_own_audit_checkpoints_against_own_roots_without_an_age_limit() {
        byte[] cms = usSigner.sign(StatementType.AUDIT_CHECKPOINT, JSON);
        Clock weeksLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(20));
        SignerTrust.Builder ownRoots = SignerTrust.builder().roots(List.of(G.pki.us().trustAnchor()))
                .crls(G.pki.us().crls()).expectedSignerName(Gateways.US_NAME).clock(weeksLater);

        assertThat(verifier.verify(cms, StatementType.AUDIT_CHECKPOINT, ownRoots.noAgeLimit().build()).content())
                .isEqualTo(JSON);
        assertCode(() -> verifier.verify(cms, StatementType.AUDIT_CHECKPOINT, ownRoots.maxAge(Duration.ofDays(7))
                .build()), ErrorCode.STALE_TIMESTAMP);
        assertCode(() -> verifier.verify(cms, StatementType.AUDIT_CHECKPOINT, G.usTrust()), ErrorCode.UNTRUSTED_CHAIN);
    }

    @Test
    void detached_signature_verifies_over_the_same_stream_and_refuses_a_changed_one() {
        byte[] file = new byte[200_000];
        file[123] = 7;
        byte[] signature = usSigner.signDetached(new ByteArrayInputStream(file));

        VerifiedSignature v = verifier.verifyDetached(new ByteArrayInputStream(file), signature, G.mxTrust());
        assertThat(v.signer()).isEqualTo(G.pki.us().gatewaySigning().certificate());

        file[199_999] = 1;
        assertCode(() -> verifier.verifyDetached(new ByteArrayInputStream(file), signature, G.mxTrust()),
                ErrorCode.BAD_SIGNATURE);
    }

    @ParameterizedTest
    @EnumSource(AlgorithmProfile.class)
    void an_auditors_verifier_takes_the_profile_from_the_signature_and_accepts_every_agreed_one(AlgorithmProfile profile) {
        Gateways g = Gateways.of(profile);
        StatementSigner signer = new StatementSigner(g.usKeys, profile);
        byte[] cms = signer.sign(StatementType.AUDIT_CHECKPOINT, JSON);
        byte[] file = new byte[50_000];
        byte[] detached = signer.signDetached(new ByteArrayInputStream(file));

        StatementVerifier any = StatementVerifier.anyAgreedProfile();

        assertThat(any.verify(cms, StatementType.AUDIT_CHECKPOINT, g.mxTrust()).content()).isEqualTo(JSON);
        assertThat(any.verifyDetached(new ByteArrayInputStream(file), detached, g.mxTrust()).signer())
                .isEqualTo(g.pki.us().gatewaySigning().certificate());
        file[0] = 1;
        assertCode(() -> any.verifyDetached(new ByteArrayInputStream(file), detached, g.mxTrust()), ErrorCode.BAD_SIGNATURE);
    }

    @Test
    void a_verifier_pinned_to_one_profile_still_refuses_the_others() {
        Gateways p384 = Gateways.of(AlgorithmProfile.EC_P384_AES256GCM);
        byte[] cms = new StatementSigner(p384.usKeys, p384.profile).sign(StatementType.AUDIT_CHECKPOINT, JSON);

        assertCode(() -> verifier.verify(cms, StatementType.AUDIT_CHECKPOINT, p384.mxTrust()),
                ErrorCode.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void refuses_garbage_as_a_statement() {
        assertCode(() -> verifier.verify(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, StatementType.PING, G.mxTrust()),
                ErrorCode.ENVELOPE_UNREADABLE);
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(PuenteException.class)
                .extracting(e -> ((PuenteException) e).errorCode()).isEqualTo(code);
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        for (int i = 0; i <= data.length - pattern.length; i++) {
            if (java.util.Arrays.equals(data, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }
}
