package org.puente.envelope.receipt;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.puente.envelope.Fingerprints;
import org.puente.envelope.OpenedEnvelope;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.statement.VerifiedStatement;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Signed receipts and signed rejections: the receiving gateway signs what it received (message
 * id and envelope SHA-256), when and with which outcome; the sending gateway checks the receipt
 * refers to exactly the envelope it sent. Thread-safe.
 */
public final class Receipts {
    private final StatementSigner signer;
    private final StatementVerifier verifier;
    private final SignerTrust peerTrust;
    private final Clock clock;

    /**
     * @param signer    signs this gateway's receipts
     * @param verifier  verifies the peer's receipts
     * @param peerTrust the peer's roots and gateway name
     * @param clock     gives {@code receivedAt}
     */
    public Receipts(StatementSigner signer, StatementVerifier verifier, SignerTrust peerTrust, Clock clock) {
        this.signer = Objects.requireNonNull(signer);
        this.verifier = Objects.requireNonNull(verifier);
        this.peerTrust = Objects.requireNonNull(peerTrust);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The signed acceptance of an opened envelope. */
    public byte[] receipt(OpenedEnvelope opened) {
        return sign(new ReceiptContent(opened.header().messageId(), Fingerprints.hex(opened.envelopeSha256()), now(),
                ReceiptOutcome.ACCEPTED, null, null));
    }

    /** A signed rejection: the error code and its sentence, about the envelope as received. */
    public byte[] rejection(UUID messageId, byte[] envelopeSha256, ErrorCode code, String sentence) {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(code, "code");
        return sign(new ReceiptContent(messageId, Fingerprints.hex(envelopeSha256), now(), ReceiptOutcome.REJECTED,
                code.code(), sentence == null ? code.sentence(Locale.ENGLISH) : sentence));
    }

    /** A signed rejection built from the exception that refused the envelope. */
    public byte[] rejection(UUID messageId, byte[] envelopeSha256, PuenteException refusal) {
        return rejection(messageId, envelopeSha256, refusal.errorCode(), refusal.sentence(Locale.ENGLISH));
    }

    /**
     * Verifies a receipt from the peer and requires it to name the message and the envelope digest
     * that were sent; otherwise receipt_mismatch.
     */
    public Receipt verifyReceipt(byte[] receiptCms, UUID expectedMessageId, byte[] expectedEnvelopeSha256) {
        VerifiedStatement statement = verifier.verify(receiptCms, StatementType.RECEIPT, peerTrust);
        ReceiptContent content;
        try {
            content = CanonicalJson.read(statement.content(), ReceiptContent.class);
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the receipt content is not a receipt");
        }
        if (content == null || content.messageId() == null || content.outcome() == null
                || content.envelopeSha256() == null || content.receivedAt() == null) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the receipt lacks a required field");
        }
        if (!content.messageId().equals(expectedMessageId)) {
            throw new PuenteException(ErrorCode.RECEIPT_MISMATCH, "it names message " + content.messageId());
        }
        byte[] digest;
        try {
            digest = HexFormat.of().parseHex(content.envelopeSha256());
        } catch (IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.RECEIPT_MISMATCH, "its envelope digest is not hexadecimal");
        }
        if (!Arrays.equals(digest, expectedEnvelopeSha256)) {
            throw new PuenteException(ErrorCode.RECEIPT_MISMATCH, "it names a different envelope digest");
        }
        if (content.outcome() == ReceiptOutcome.REJECTED && content.errorCode() == null) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "a rejection without an error code");
        }
        return new Receipt(content.messageId(), digest, content.receivedAt(), content.outcome(), content.errorCode(),
                content.sentence(), statement.signer(), statement.signingTime());
    }

    private byte[] sign(ReceiptContent content) {
        return signer.sign(StatementType.RECEIPT, CanonicalJson.bytes(content));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
