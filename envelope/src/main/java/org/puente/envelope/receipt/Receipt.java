package org.puente.envelope.receipt;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.puente.model.error.ErrorCode;

/**
 * A verified receipt: the peer's signed statement about one envelope.
 *
 * @param messageId      the message it is about (equal to the one sent)
 * @param envelopeSha256 SHA-256 of the envelope as the peer received it (equal to what was sent)
 * @param receivedAt     the peer's decision time
 * @param outcome        ACCEPTED or REJECTED
 * @param errorCode      the wire error code of a rejection, {@code null} when accepted
 * @param sentence       the peer's sentence for a rejection, {@code null} when accepted
 * @param signer         the peer gateway's signing certificate
 * @param signingTime    the signed signing-time attribute
 */
public record Receipt(UUID messageId, byte[] envelopeSha256, Instant receivedAt, ReceiptOutcome outcome,
                      String errorCode, String sentence, X509Certificate signer, Instant signingTime) {

    /** The rejection's error code when it is one of the shared catalogue. */
    public Optional<ErrorCode> error() {
        return errorCode == null ? Optional.empty() : ErrorCode.fromCode(errorCode);
    }

    /** Whether sending the same envelope again could succeed: never for an acceptance or a security/validation rejection. */
    public boolean retryable() {
        return outcome == ReceiptOutcome.REJECTED && error().map(ErrorCode::retryable).orElse(false);
    }
}
