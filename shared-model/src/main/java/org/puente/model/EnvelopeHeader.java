package org.puente.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The envelope header both gateways sign, route and audit: who sends what to whom, under which
 * legal basis and for which purpose. It never holds payload content.
 *
 * <p>Implementation note: the header is bound into the signature as canonical JSON (see
 * {@link CanonicalJson}); {@code createdAt} is kept at millisecond precision so that its text form
 * is stable across implementations.
 *
 * @param messageId     unique id assigned by the sending gateway
 * @param correlationId links related messages (a response to its request); the message id when none is given
 * @param messageType   catalogue type, e.g. {@code cargo.manifest}
 * @param schemaVersion version of the type's JSON Schema the payload follows, e.g. {@code 1.0}
 * @param sender        sending agency
 * @param receiver      receiving agency (always of the other country)
 * @param legalBasis    agreement the exchange rests on, e.g. {@code CMAA-2000}
 * @param purpose       stated purpose of use, from the catalogue
 * @param sensitivity   handling label
 * @param language      {@code en} or {@code es}
 * @param createdAt     when the sending gateway accepted the message (UTC)
 * @param timeToLive    how long delivery may be attempted
 * @param priority      dispatch priority
 */
@JsonPropertyOrder(alphabetic = true)
public record EnvelopeHeader(
        UUID messageId,
        String correlationId,
        String messageType,
        String schemaVersion,
        AgencyRef sender,
        AgencyRef receiver,
        String legalBasis,
        String purpose,
        Sensitivity sensitivity,
        String language,
        Instant createdAt,
        Duration timeToLive,
        Priority priority) {

    /** The instant after which the message must no longer be delivered. */
    @JsonIgnore
    public Instant expiresAt() {
        return createdAt.plus(timeToLive);
    }
}
