package org.puente.envelope.timestamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.envelope.timestamp.TimeStampFixtures.sha256;
import static org.puente.envelope.timestamp.TimeStampFixtures.tokenSignedBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.PkiProfile;
import org.puente.certs.SamplePki;
import org.puente.envelope.keys.TimeStampSigningKey;
import org.puente.envelope.timestamp.TimeStampException.Reason;
import org.puente.model.error.ErrorCode;

/** Every way a time-stamp is refused, each with its exact reason. */
class TimeStampRefusalTest {
    private static SamplePki pki;
    private static SampleTimeStampAuthority usTsa;
    private static SampleTimeStampAuthority mxTsa;
    private static TimeStampVerifier trustsUs;

    @BeforeAll
    static void startBothTsas() {
        pki = SamplePki.generate();
        usTsa = new SampleTimeStampAuthority(keyOf(pki.us().timeStampingAuthority()), 0).start();
        mxTsa = new SampleTimeStampAuthority(keyOf(pki.mx().timeStampingAuthority()), 0).start();
        trustsUs = new TimeStampVerifier(List.of(pki.us().trustAnchor()));
    }

    @AfterAll
    static void stopThem() {
        usTsa.close();
        mxTsa.close();
    }

    @AfterEach
    void endTheOutage() {
        usTsa.setAvailable(true);
    }

    @Test
    void refuses_a_token_over_another_digest() {
        byte[] token = new TimeStampClient(usTsa.url(), trustsUs).stamp(sha256("checkpoint 1"));

        assertRefused(() -> trustsUs.verify(token, sha256("checkpoint 2")), Reason.MISMATCH);
    }

    @Test
    void refuses_a_reply_that_carries_another_nonce() throws Exception {
        try (var proxy = new TimeStampFixtures.TamperingProxy(usTsa.url(),
                request -> rewrite(request, request.getMessageImprintDigest(), request.getNonce().add(BigInteger.ONE)))) {
            TimeStampClient client = new TimeStampClient(proxy.url(), trustsUs);

            assertRefused(() -> client.stamp(sha256("checkpoint")), Reason.MISMATCH);
        }
    }

    @Test
    void refuses_a_reply_that_stamps_another_digest() throws Exception {
        try (var proxy = new TimeStampFixtures.TamperingProxy(usTsa.url(),
                request -> rewrite(request, sha256("what the attacker wants stamped"), request.getNonce()))) {
            TimeStampClient client = new TimeStampClient(proxy.url(), trustsUs);

            assertRefused(() -> client.stamp(sha256("checkpoint")), Reason.MISMATCH);
        }
    }

    @Test
    void a_hand_made_token_from_the_tsa_credential_verifies() throws Exception {
        // the control for the next two tests: the hand-made token is sound, only its signer differs
        byte[] digest = sha256("checkpoint");

        assertThat(trustsUs.verify(tokenSignedBy(pki.us().timeStampingAuthority(), digest), digest).tsaSubject())
                .startsWith("CN=tsa.us.puente.sample");
    }

    @Test
    void refuses_a_token_signed_by_the_gateway_signing_certificate() throws Exception {
        byte[] digest = sha256("checkpoint");
        byte[] token = tokenSignedBy(pki.us().gatewaySigning(), digest);

        TimeStampException refused = assertRefused(() -> trustsUs.verify(token, digest), Reason.NOT_A_TSA);
        assertThat(refused.errorCode()).isEqualTo(ErrorCode.WRONG_KEY_USAGE);
    }

    @Test
    void refuses_a_time_stamping_certificate_whose_extended_key_usage_is_not_critical() throws Exception {
        IssuedCredential lax = new CertificateIssuer().issue(pki.us().issuingCa(), CertificateSpec.builder(
                        "CN=lax tsa, O=Puente SAMPLE - NOT FOR PRODUCTION, C=US", PkiProfile.EC_P256.generateKeyPair())
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.TIME_STAMPING).build());
        byte[] digest = sha256("checkpoint");

        assertRefused(() -> trustsUs.verify(tokenSignedBy(lax, digest), digest), Reason.NOT_A_TSA);
    }

    @Test
    void refuses_the_other_countrys_tsa_against_this_countrys_root() {
        byte[] digest = sha256("checkpoint");
        byte[] mexicanToken = new TimeStampClient(mxTsa.url(), new TimeStampVerifier(List.of(pki.mx().trustAnchor())))
                .stamp(digest);

        TimeStampException refused = assertRefused(() -> trustsUs.verify(mexicanToken, digest), Reason.UNTRUSTED_TSA);
        assertThat(refused.errorCode()).isEqualTo(ErrorCode.UNTRUSTED_CHAIN);
        assertRefused(() -> new TimeStampClient(mxTsa.url(), trustsUs).stamp(digest), Reason.UNTRUSTED_TSA);
    }

    @Test
    void reports_an_outage_as_unavailable() {
        usTsa.setAvailable(false);

        TimeStampException refused = assertRefused(() -> new TimeStampClient(usTsa.url(), trustsUs).stamp(sha256("c")),
                Reason.UNAVAILABLE);
        assertThat(refused.errorCode().retryable()).isTrue();
    }

    @Test
    void reports_a_tsa_that_is_not_listening_as_unavailable() {
        SampleTimeStampAuthority stopped = new SampleTimeStampAuthority(keyOf(pki.us().timeStampingAuthority()), 0).start();
        stopped.close();

        assertRefused(() -> new TimeStampClient(stopped.url(), trustsUs).stamp(sha256("c")), Reason.UNAVAILABLE);
    }

    @Test
    void reports_a_rejected_request_as_refused() throws Exception {
        // the TSA stamps SHA-256 only: a SHA-1 request comes back as a rejection (badAlg)
        try (var proxy = new TimeStampFixtures.TamperingProxy(usTsa.url(), request -> new TimeStampRequestGenerator()
                .generate(TSPAlgorithms.SHA1, new byte[20], request.getNonce()))) {
            TimeStampClient client = new TimeStampClient(proxy.url(), trustsUs);

            assertRefused(() -> client.stamp(sha256("checkpoint")), Reason.REFUSED);
        }
    }

    @Test
    void refuses_a_token_whose_signature_was_tampered_with() {
        byte[] digest = sha256("checkpoint");
        byte[] token = new TimeStampClient(usTsa.url(), trustsUs).stamp(digest);
        byte[] tampered = Arrays.copyOf(token, token.length);
        tampered[tampered.length - 2] ^= 0x01; // inside the ECDSA signature value, the last field of the token

        assertRefused(() -> trustsUs.verify(tampered, digest), Reason.INVALID_TOKEN);
    }

    @Test
    void refuses_bytes_that_are_not_a_token() {
        assertRefused(() -> trustsUs.verify(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, sha256("c")), Reason.INVALID_TOKEN);
    }

    private static TimeStampException assertRefused(ThrowingCallable call, Reason reason) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(TimeStampException.class);
        TimeStampException refused = (TimeStampException) thrown;
        assertThat(refused.reason()).as(refused.getMessage()).isEqualTo(reason);
        return refused;
    }

    private static TimeStampRequest rewrite(TimeStampRequest request, byte[] digest, BigInteger nonce) {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(request.getCertReq());
        return generator.generate(TSPAlgorithms.SHA256, digest, nonce);
    }

    private static TimeStampSigningKey keyOf(IssuedCredential credential) {
        return TimeStampSigningKey.of(credential.key(), credential.chain());
    }
}
