package org.puente.model.validation.domain;

import java.util.regex.Pattern;

/**
 * ISO 6346 freight container identification: owner code (3 letters), equipment category
 * ({@code U}, {@code J} or {@code Z}), 6-digit serial number and a check digit.
 *
 * <p>The check digit makes one mistyped character (and most swapped pairs) detectable, which is
 * why a container number is checked here and not only by a schema pattern.
 */
public final class ContainerNumber {
    private static final Pattern SHAPE = Pattern.compile("[A-Z]{3}[UJZ][0-9]{7}");

    private ContainerNumber() {
    }

    /** Whether {@code value} is a well-formed container number with the right check digit. */
    public static boolean isValid(String value) {
        return value != null && SHAPE.matcher(value).matches() && checkDigit(value.substring(0, 10)) == value.charAt(10) - '0';
    }

    /**
     * The check digit of the first ten characters: letters take the values 10..38 skipping
     * multiples of 11, position {@code i} is weighted {@code 2^i}, the sum is taken modulo 11 and
     * a remainder of 10 becomes 0.
     *
     * @param ownerCategorySerial owner code, category letter and serial number, e.g. {@code CSQU305438}
     */
    public static int checkDigit(String ownerCategorySerial) {
        if (ownerCategorySerial == null || ownerCategorySerial.length() != 10) {
            throw new IllegalArgumentException("ten characters expected");
        }
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += value(ownerCategorySerial.charAt(i)) << i;
        }
        return sum % 11 % 10;
    }

    private static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c < 'A' || c > 'Z') {
            throw new IllegalArgumentException("not a container number character: " + c);
        }
        int v = 10 + (c - 'A');
        // Skip 11, 22 and 33 so that no letter is worth a multiple of the modulus.
        return v + (v - 1) / 10;
    }
}
