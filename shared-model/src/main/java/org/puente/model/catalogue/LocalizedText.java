package org.puente.model.catalogue;

import java.util.Locale;

/**
 * A short text of the catalogue in both working languages of the agreement.
 *
 * @param en the English text
 * @param es the Spanish text
 */
public record LocalizedText(String en, String es) {

    /** The Spanish text when the locale's language is Spanish, the English text otherwise. */
    public String in(Locale locale) {
        return locale != null && "es".equals(locale.getLanguage()) ? es : en;
    }
}
