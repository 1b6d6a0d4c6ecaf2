package org.puente.engine.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;
import org.puente.model.error.PuenteException;
import org.puente.model.validation.Problem;

/**
 * The one error body of every Puente API (REST, the SOAP fault's detail, a drop folder's reason
 * file): the stable code, its category and retry flag, the sentence in the caller's language,
 * and for a refused submission every problem with its JSON pointer. Never a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String code, String category, boolean retryable, String message, List<ProblemBody> problems) {

    /** One problem of a refused submission. */
    public record ProblemBody(String severity, String code, String pointer, String message) {
    }

    public static ErrorBody of(PuenteException e, Locale locale) {
        List<ProblemBody> problems = null;
        if (e instanceof RejectedSubmission r) {
            problems = r.problems().stream().map(p -> problem(p, locale)).toList();
        }
        return new ErrorBody(e.errorCode().code(), e.errorCode().category().name(), e.errorCode().retryable(),
                e.sentence(locale), problems);
    }

    /** The HTTP status of a failure: its code's, or 403/400 for a refused submission. */
    public static int status(PuenteException e) {
        return e instanceof RejectedSubmission r ? r.httpStatus() : e.errorCode().httpStatus();
    }

    /** One problem (of a refusal, or a warning of an accepted submission) in the caller's language. */
    public static ProblemBody problem(Problem p, Locale locale) {
        return new ProblemBody(p.severity().name(), p.code().code(), p.pointer(), p.sentence(locale));
    }
}
