package org.puente.envelope.receipt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * The signed content of a receipt, as canonical JSON (members sorted, no white space).
 *
 * @param messageId      the message the receipt is about
 * @param envelopeSha256 SHA-256 of the envelope bytes as received, lower-case hexadecimal
 * @param receivedAt     when the receiving gateway took the decision (UTC, milliseconds)
 * @param outcome        ACCEPTED or REJECTED
 * @param errorCode      for REJECTED: the stable error code, e.g. {@code bad_signature}
 * @param sentence       for REJECTED: the English sentence of the error
 */
@JsonPropertyOrder(alphabetic = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceiptContent(UUID messageId, String envelopeSha256, Instant receivedAt, ReceiptOutcome outcome,
                             String errorCode, String sentence) {
}
