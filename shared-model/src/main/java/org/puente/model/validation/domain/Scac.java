package org.puente.model.validation.domain;

import java.util.regex.Pattern;

/** Standard Carrier Alpha Code: 2 to 4 capital letters identifying a carrier. */
public final class Scac {
    private static final Pattern SHAPE = Pattern.compile("[A-Z]{2,4}");

    private Scac() {
    }

    public static boolean isValid(String value) {
        return value != null && SHAPE.matcher(value).matches();
    }
}
