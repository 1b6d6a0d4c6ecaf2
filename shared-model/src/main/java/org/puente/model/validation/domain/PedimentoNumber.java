package org.puente.model.validation.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Mexican customs declaration (pedimento) number as printed: {@code YY  AA  PPPP  NNNNNNN}, i.e.
 * year, customs office, customs broker's licence (patente) and a 7-digit sequence whose first digit
 * is the last digit of the year; 21 characters with two spaces between groups.
 */
public final class PedimentoNumber {
    private static final Pattern SHAPE = Pattern.compile("([0-9]{2})  ([0-9]{2})  ([0-9]{4})  ([0-9]{7})");

    private PedimentoNumber() {
    }

    public static boolean isValid(String value) {
        if (value == null) {
            return false;
        }
        Matcher m = SHAPE.matcher(value);
        return m.matches() && m.group(4).charAt(0) == m.group(1).charAt(1);
    }
}
