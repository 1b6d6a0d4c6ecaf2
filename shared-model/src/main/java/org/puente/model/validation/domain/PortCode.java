package org.puente.model.validation.domain;

import java.util.regex.Pattern;
import org.puente.model.Country;

/**
 * Codes of the places where goods cross: a US port is a 4-digit Schedule D code {@code DDPP}
 * (district and port, e.g. 2304 Laredo); a Mexican customs office is a 3-digit code, 2 digits of
 * office and 1 of section (e.g. 240 Nuevo Laredo).
 */
public final class PortCode {
    private static final Pattern US = Pattern.compile("[0-9]{4}");
    private static final Pattern MX = Pattern.compile("[0-9]{3}");

    private PortCode() {
    }

    public static boolean isUsPort(String code) {
        return code != null && US.matcher(code).matches() && !code.startsWith("00");
    }

    public static boolean isMxCustomsOffice(String code) {
        return code != null && MX.matcher(code).matches() && !code.startsWith("00");
    }

    /** Whether {@code code} has the form of a port code of {@code country}. */
    public static boolean isValid(Country country, String code) {
        return country == Country.US ? isUsPort(code) : isMxCustomsOffice(code);
    }
}
