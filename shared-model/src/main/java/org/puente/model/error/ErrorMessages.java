package org.puente.model.error;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Looks up the English or Spanish sentence for an {@link ErrorCode}.
 *
 * <p>Both administrations read these sentences, so every code must have both; a test enforces it.
 */
public final class ErrorMessages {
    static final String BUNDLE = "org.puente.model.error.ErrorMessages";
    public static final Locale SPANISH = Locale.forLanguageTag("es");

    private ErrorMessages() {
    }

    /** Spanish when the locale's language is Spanish, English otherwise. */
    public static Locale supported(Locale requested) {
        return requested != null && "es".equals(requested.getLanguage()) ? SPANISH : Locale.ENGLISH;
    }

    static String sentence(ErrorCode code, Locale locale, Object... args) {
        Locale chosen = supported(locale);
        ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, chosen,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        String pattern;
        try {
            pattern = bundle.getString(code.code());
        } catch (MissingResourceException e) {
            pattern = code.code();
        }
        if (args == null || args.length == 0) {
            return pattern;
        }
        // Sentences are plain text: an apostrophe is an apostrophe, not MessageFormat quoting.
        return new MessageFormat(pattern.replace("'", "''"), chosen).format(args);
    }
}
