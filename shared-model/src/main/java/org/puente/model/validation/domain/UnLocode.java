package org.puente.model.validation.domain;

import java.util.regex.Pattern;

/**
 * A UN/LOCODE: an ISO 3166 alpha-2 country code followed by 3 letters or digits 2-9, written without
 * a space, e.g. {@code USLRD} (Laredo) or {@code MXNLD} (Nuevo Laredo).
 */
public final class UnLocode {
    private static final Pattern SHAPE = Pattern.compile("[A-Z]{2}[A-Z2-9]{3}");

    private UnLocode() {
    }

    public static boolean isValid(String value) {
        return value != null && SHAPE.matcher(value).matches() && CountryCodes.isAssigned(value.substring(0, 2));
    }
}
