package org.puente.engine.peer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;
import org.puente.model.answer.BusinessAnswer;

/**
 * What one gateway tells the other about a message, signed. The receiving gateway tells the
 * sending one that the receiving agency has the message ({@value #DELIVERED}: it acknowledged it,
 * or its push endpoint accepted it) or answered it ({@value #ANSWERED}, with its business answer);
 * the sending gateway tells the receiving one that the sending agency withdrew it
 * ({@value #CANCELLED}, or {@value #REPLACED} by another message, with the reason).
 *
 * @param agency     the agency it speaks for: the receiving agency, or for a withdrawal the sending one
 * @param answer     the business answer ({@value #ANSWERED} only; absent from the signed bytes otherwise)
 * @param withdrawal the withdrawal ({@value #CANCELLED}, {@value #REPLACED} only; absent otherwise)
 */
@JsonPropertyOrder(alphabetic = true)
public record DeliveryNotice(UUID messageId, String status, String agency, Instant at,
                             @JsonInclude(JsonInclude.Include.NON_NULL) BusinessAnswer answer,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Withdrawal withdrawal) {
    public static final String DELIVERED = "DELIVERED";
    public static final String ANSWERED = "ANSWERED";
    public static final String CANCELLED = "CANCELLED";
    public static final String REPLACED = "REPLACED";

    /** Why the sending agency withdrew the message, and the message that replaces it (REPLACED only). */
    @JsonPropertyOrder(alphabetic = true)
    public record Withdrawal(String reason, @JsonInclude(JsonInclude.Include.NON_NULL) UUID replacement) {
    }

    public static DeliveryNotice delivered(UUID messageId, String agency, Instant at) {
        return new DeliveryNotice(messageId, DELIVERED, agency, at, null, null);
    }

    public static DeliveryNotice answered(UUID messageId, String agency, Instant at, BusinessAnswer answer) {
        return new DeliveryNotice(messageId, ANSWERED, agency, at, answer, null);
    }

    public static DeliveryNotice withdrawn(UUID messageId, String agency, Instant at, Withdrawal withdrawal) {
        return new DeliveryNotice(messageId, withdrawal.replacement() == null ? CANCELLED : REPLACED, agency, at, null,
                withdrawal);
    }

    /** Whether it tells of a withdrawal (sending side to receiving side) rather than of a delivery or an answer. */
    public boolean withdraws() {
        return CANCELLED.equals(status) || REPLACED.equals(status);
    }
}
