package org.puente.engine.peer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;
import org.puente.model.answer.BusinessAnswer;

/**
 * What the receiving gateway tells the sending one, signed: the receiving agency has the
 * message ({@value #DELIVERED}: it acknowledged it, or its push endpoint accepted it), or the
 * receiving agency answered it ({@value #ANSWERED}, with its business answer).
 *
 * @param answer the business answer ({@value #ANSWERED} only; absent from the signed bytes otherwise)
 */
@JsonPropertyOrder(alphabetic = true)
public record DeliveryNotice(UUID messageId, String status, String agency, Instant at,
                             @JsonInclude(JsonInclude.Include.NON_NULL) BusinessAnswer answer) {
    public static final String DELIVERED = "DELIVERED";
    public static final String ANSWERED = "ANSWERED";

    public static DeliveryNotice delivered(UUID messageId, String agency, Instant at) {
        return new DeliveryNotice(messageId, DELIVERED, agency, at, null);
    }

    public static DeliveryNotice answered(UUID messageId, String agency, Instant at, BusinessAnswer answer) {
        return new DeliveryNotice(messageId, ANSWERED, agency, at, answer);
    }
}
