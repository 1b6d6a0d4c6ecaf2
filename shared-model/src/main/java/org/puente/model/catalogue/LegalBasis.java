package org.puente.model.catalogue;

import java.time.LocalDate;

/**
 * An instrument an exchange may rest on, e.g. the 2000 Customs Mutual Assistance Agreement.
 *
 * @param id      stable identifier carried in every header, e.g. {@code CMAA-2000}
 * @param title   the instrument's name in English and Spanish
 * @param signed  the date of signature
 * @param place   where it was signed; null when the catalogue does not record it
 * @param binding whether it is a legally binding agreement (a declaration of principles is not)
 */
public record LegalBasis(String id, LocalizedText title, LocalDate signed, String place, boolean binding) {
}
