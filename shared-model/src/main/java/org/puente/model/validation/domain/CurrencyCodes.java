package org.puente.model.validation.domain;

import java.util.Optional;

/** ISO 4217 alphabetic currency codes in use, shipped as a resource file. */
public final class CurrencyCodes {
    private static final CodeList LIST = CodeList.load("org/puente/model/reference/iso4217-alpha3.txt");

    private CurrencyCodes() {
    }

    public static boolean isActive(String code) {
        return LIST.contains(code);
    }

    public static Optional<String> name(String code) {
        return LIST.name(code);
    }

    public static int count() {
        return LIST.size();
    }
}
