package org.puente.routes.api;

import org.puente.engine.api.ErrorBody;
import java.util.Locale;
import org.puente.model.error.PuenteException;
import org.puente.model.validation.Problem;
import org.puente.engine.api.RejectedSubmission;
import org.puente.routes.soap.v1.PuenteError;

/**
 * The SOAP form of the one Puente error body ({@link org.puente.engine.api.ErrorBody}): the same code, category, retry
 * flag and sentence, the HTTP status the REST API would answer, and every problem of a refused
 * submission with its JSON pointer.
 */
public final class SoapErrors {
    private SoapErrors() {
    }

    public static PuenteError body(PuenteException e, Locale locale) {
        PuenteError error = new PuenteError();
        error.setCode(e.errorCode().code());
        error.setCategory(e.errorCode().category().name());
        error.setRetryable(e.errorCode().retryable());
        error.setHttpStatus(ErrorBody.status(e));
        error.setMessage(e.sentence(locale));
        if (e instanceof RejectedSubmission r) {
            for (Problem p : r.problems()) {
                error.getProblem().add(problem(p, locale));
            }
        }
        return error;
    }

    /** One problem (of a refusal, or a warning of an accepted submission) in the SOAP form. */
    public static org.puente.routes.soap.v1.Problem problem(Problem p, Locale locale) {
        org.puente.routes.soap.v1.Problem problem = new org.puente.routes.soap.v1.Problem();
        problem.setSeverity(p.severity().name());
        problem.setCode(p.code().code());
        problem.setPointer(p.pointer());
        problem.setMessage(p.sentence(locale));
        return problem;
    }
}
