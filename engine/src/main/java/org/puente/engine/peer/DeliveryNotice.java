package org.puente.engine.peer;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * What the receiving gateway tells the sending one, signed: the receiving agency has the
 * message (it acknowledged it, or its push endpoint accepted it).
 */
@JsonPropertyOrder(alphabetic = true)
public record DeliveryNotice(UUID messageId, String status, String agency, Instant at) {
}
