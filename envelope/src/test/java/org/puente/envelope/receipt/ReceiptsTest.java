package org.puente.envelope.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.Fingerprints;
import org.puente.envelope.Gateways;
import org.puente.envelope.OpenedEnvelope;
import org.puente.envelope.SealedEnvelope;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCategory;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

class ReceiptsTest {
    private static final Gateways G = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);

    @Test
    void the_sender_accepts_the_receipt_of_exactly_what_it_sent() {
        EnvelopeHeader header = Gateways.header();
        SealedEnvelope sealed = G.usSealer().seal(header, "{}".getBytes(StandardCharsets.UTF_8), G.mxEncryption());
        OpenedEnvelope opened = G.mxOpener().open(sealed.bytes(), header);

        byte[] receipt = G.mxReceipts().receipt(opened);
        Receipt r = G.usReceipts().verifyReceipt(receipt, header.messageId(), sealed.sha256());

        assertThat(r.outcome()).isEqualTo(ReceiptOutcome.ACCEPTED);
        assertThat(r.messageId()).isEqualTo(header.messageId());
        assertThat(r.envelopeSha256()).isEqualTo(sealed.sha256());
        assertThat(r.error()).isEmpty();
        assertThat(r.signer()).isEqualTo(G.pki.mx().gatewaySigning().certificate());
        assertThat(r.retryable()).isFalse();
    }

    @Test
    void a_signed_rejection_carries_a_code_the_sender_must_not_retry() {
        UUID id = UUID.randomUUID();
        byte[] digest = Fingerprints.sha256(new byte[] {1});

        byte[] rejection = G.mxReceipts().rejection(id, digest, new PuenteException(ErrorCode.BAD_SIGNATURE));
        Receipt r = G.usReceipts().verifyReceipt(rejection, id, digest);

        assertThat(r.outcome()).isEqualTo(ReceiptOutcome.REJECTED);
        assertThat(r.error()).contains(ErrorCode.BAD_SIGNATURE);
        assertThat(r.error().orElseThrow().category()).isEqualTo(ErrorCategory.SECURITY);
        assertThat(r.sentence()).startsWith("The signature does not verify");
        assertThat(r.retryable()).isFalse();
    }

    @Test
    void receipt_content_is_canonical_json_with_hex_digest() {
        UUID id = UUID.fromString("00000000-0000-4000-8000-000000000001");
        byte[] digest = new byte[32];
        digest[31] = (byte) 0xAB;
        byte[] cms = G.mxReceipts().rejection(id, digest, ErrorCode.HEADER_MISMATCH, "fields messageType");

        String json = new String(new org.puente.envelope.statement.StatementVerifier(G.profile)
                .verify(cms, StatementType.RECEIPT, G.usTrust()).content(), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"envelopeSha256\":\"" + "00".repeat(31) + "ab\",\"errorCode\":\"header_mismatch\","
                + "\"messageId\":\"00000000-0000-4000-8000-000000000001\",\"outcome\":\"REJECTED\",\"receivedAt\":\"");
        assertThat(json).endsWith("\",\"sentence\":\"fields messageType\"}");
    }

    @Test
    void a_receipt_for_another_message_is_a_mismatch() {
        byte[] digest = Fingerprints.sha256(new byte[] {2});
        byte[] receipt = G.mxReceipts().rejection(UUID.randomUUID(), digest, ErrorCode.DECRYPTION_FAILED, null);

        assertCode(() -> G.usReceipts().verifyReceipt(receipt, UUID.randomUUID(), digest), ErrorCode.RECEIPT_MISMATCH);
    }

    @Test
    void a_receipt_for_another_envelope_of_the_same_message_is_a_mismatch() {
        UUID id = UUID.randomUUID();
        byte[] receipt = G.mxReceipts().rejection(id, Fingerprints.sha256(new byte[] {3}), ErrorCode.BAD_SIGNATURE, null);

        assertCode(() -> G.usReceipts().verifyReceipt(receipt, id, Fingerprints.sha256(new byte[] {4})),
                ErrorCode.RECEIPT_MISMATCH);
    }

    @Test
    void a_receipt_signed_by_our_own_country_is_not_trusted() {
        UUID id = UUID.randomUUID();
        byte[] digest = Fingerprints.sha256(new byte[] {5});
        byte[] forged = new StatementSigner(G.usKeys, G.profile).sign(StatementType.RECEIPT, CanonicalJson.bytes(
                new ReceiptContent(id, Fingerprints.hex(digest), java.time.Instant.now(), ReceiptOutcome.ACCEPTED,
                        null, null)));

        assertCode(() -> G.usReceipts().verifyReceipt(forged, id, digest), ErrorCode.UNTRUSTED_CHAIN);
    }

    @Test
    void a_ping_is_not_a_receipt() {
        byte[] ping = new StatementSigner(G.mxKeys, G.profile).sign(StatementType.PING, "{}".getBytes(StandardCharsets.UTF_8));

        assertCode(() -> G.usReceipts().verifyReceipt(ping, UUID.randomUUID(), new byte[32]),
                ErrorCode.ENVELOPE_UNREADABLE);
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(PuenteException.class)
                .extracting(e -> ((PuenteException) e).errorCode()).isEqualTo(code);
    }
}
