package org.puente.model.error;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The one exception type of Puente: every expected failure carries an {@link ErrorCode}.
 *
 * <p>The message is the English sentence (for logs); APIs render {@link #sentence(Locale)} in the
 * caller's language. The detail arguments must never hold payload content or key material.
 */
public class PuenteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;
    private final transient Object[] args;

    public PuenteException(ErrorCode errorCode, Object... args) {
        super(errorCode.code() + ": " + errorCode.sentence(Locale.ENGLISH, args));
        this.errorCode = errorCode;
        this.args = args == null ? new Object[0] : args.clone();
    }

    public PuenteException(ErrorCode errorCode, Throwable cause, Object... args) {
        super(errorCode.code() + ": " + errorCode.sentence(Locale.ENGLISH, args), cause);
        this.errorCode = errorCode;
        this.args = args == null ? new Object[0] : args.clone();
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The details filled into the sentence (never payload content or key material). */
    public List<Object> args() {
        return Collections.unmodifiableList(Arrays.asList(args.clone()));
    }

    /** The human sentence in the caller's language. */
    public String sentence(Locale locale) {
        return errorCode.sentence(locale, args);
    }
}
