package org.puente.model.validation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Locale;
import org.puente.model.error.ErrorCode;

/**
 * One thing wrong with a message, pointing at the exact field.
 *
 * @param severity ERROR (the message is refused) or WARNING (reported, the message is accepted)
 * @param code     the stable error code
 * @param pointer  RFC 6901 JSON pointer into the submission document, e.g.
 *                 {@code /payload/equipment/0/containerNumber}; {@code ""} is the whole document
 * @param args     the details filled into the code's sentence (field names, limits, and the
 *                 sender's own offending value for identifier checks); never logged by the gateway
 */
@JsonPropertyOrder({"severity", "code", "pointer", "args"})
public record Problem(Severity severity, ErrorCode code, String pointer, List<String> args) {

    public Problem {
        args = List.copyOf(args);
    }

    public static Problem error(ErrorCode code, String pointer, String... args) {
        return new Problem(Severity.ERROR, code, pointer, List.of(args));
    }

    public static Problem warning(ErrorCode code, String pointer, String... args) {
        return new Problem(Severity.WARNING, code, pointer, List.of(args));
    }

    /** The human sentence in English, or in Spanish when the locale's language is Spanish. */
    public String sentence(Locale locale) {
        return code.sentence(locale, args.toArray());
    }

    @JsonIgnore
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity + " " + code.code() + " at '" + pointer + "'";
    }
}
