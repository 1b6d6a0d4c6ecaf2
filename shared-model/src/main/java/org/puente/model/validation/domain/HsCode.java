package org.puente.model.validation.domain;

import java.util.regex.Pattern;

/**
 * A Harmonized System subheading: 6 digits, the first two being a chapter that exists (01 to 97;
 * chapter 77 is reserved by the WCO for future use, 98 and 99 are national).
 */
public final class HsCode {
    private static final Pattern SHAPE = Pattern.compile("[0-9]{6}");

    private HsCode() {
    }

    public static boolean isValid(String value) {
        if (value == null || !SHAPE.matcher(value).matches()) {
            return false;
        }
        int chapter = Integer.parseInt(value.substring(0, 2));
        return chapter >= 1 && chapter <= 97 && chapter != 77;
    }
}
