package org.puente.model.catalogue;

import org.puente.model.AgencyRef;

/**
 * An agency that takes part in the exchange, as the catalogue names it.
 *
 * @param ref  the agency's identity, e.g. {@code US/CBP}
 * @param name its full name in English and Spanish
 */
public record Agency(AgencyRef ref, LocalizedText name) {
}
