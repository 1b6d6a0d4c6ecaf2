package org.puente.model.submission;

import java.time.Duration;
import org.puente.model.AgencyRef;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;

/**
 * The header fields of a submission, as the agency wrote them (before the gateway applies the
 * catalogue's defaults and assigns a message id and creation time).
 *
 * @param messageType   catalogue type
 * @param schemaVersion version of the type's payload schema
 * @param sender        sending agency
 * @param receiver      receiving agency
 * @param legalBasis    legal basis id
 * @param purpose       purpose id
 * @param sensitivity   handling label; null when not given (the catalogue's label applies)
 * @param language      {@code en} or {@code es}
 * @param correlationId null when not given (the message id is used)
 * @param priority      null when not given (the catalogue's default applies)
 * @param timeToLive    null when not given (the catalogue's default applies)
 */
public record SubmissionHeader(
        String messageType,
        String schemaVersion,
        AgencyRef sender,
        AgencyRef receiver,
        String legalBasis,
        String purpose,
        Sensitivity sensitivity,
        String language,
        String correlationId,
        Priority priority,
        Duration timeToLive) {
}
