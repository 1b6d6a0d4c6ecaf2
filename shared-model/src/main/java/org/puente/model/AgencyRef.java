package org.puente.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An agency of one of the two countries, e.g. {@code US/CBP} or {@code MX/ANAM}.
 *
 * @param country the agency's country
 * @param agency  the agency identifier from the catalogue ({@code CBP}, {@code ICE-HSI}, {@code ANAM}, {@code SAT})
 */
@JsonPropertyOrder(alphabetic = true)
public record AgencyRef(Country country, String agency) {

    /** Parses the {@code US/CBP} form used in configuration and in the catalogue. */
    public static AgencyRef parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("agency must be written COUNTRY/AGENCY, e.g. US/CBP: " + text);
        }
        return new AgencyRef(Country.valueOf(text.substring(0, slash).trim()), text.substring(slash + 1).trim());
    }

    @Override
    public String toString() {
        return country + "/" + agency;
    }
}
