package org.puente.model.validation;

import java.time.Duration;
import org.puente.model.AgencyRef;
import org.puente.model.Sensitivity;

/**
 * The header fields the catalogue checks look at, taken from a submission document or from a
 * received envelope header. A field is null when it is absent or already in error, so that one
 * mistake is reported once.
 */
record HeaderView(
        String messageType,
        String schemaVersion,
        AgencyRef sender,
        AgencyRef receiver,
        String legalBasis,
        String purpose,
        Sensitivity sensitivity,
        Duration timeToLive) {
}
