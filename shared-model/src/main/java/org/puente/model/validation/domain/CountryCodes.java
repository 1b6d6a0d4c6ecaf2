package org.puente.model.validation.domain;

import java.util.Optional;

/** ISO 3166-1 alpha-2 country codes: the officially assigned list, shipped as a resource file. */
public final class CountryCodes {
    private static final CodeList LIST = CodeList.load("org/puente/model/reference/iso3166-alpha2.txt");

    private CountryCodes() {
    }

    public static boolean isAssigned(String code) {
        return LIST.contains(code);
    }

    /** The English short name of an assigned code. */
    public static Optional<String> name(String code) {
        return LIST.name(code);
    }

    /** How many codes the list holds (249 when this was written). */
    public static int count() {
        return LIST.size();
    }
}
