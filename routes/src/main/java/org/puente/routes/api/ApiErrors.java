package org.puente.routes.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.puente.model.error.PuenteException;
import org.puente.model.validation.Problem;
import org.puente.routes.exchange.RejectedSubmission;

/**
 * The one error body of every Puente API: the stable code, its category and retry flag, the
 * sentence in the caller's language, and for a refused submission every problem with its JSON
 * pointer. Never a stack trace.
 */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static int status(PuenteException e) {
        return e instanceof RejectedSubmission r ? r.httpStatus() : e.errorCode().httpStatus();
    }

    public static Map<String, Object> body(PuenteException e, Locale locale) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.errorCode().code());
        body.put("category", e.errorCode().category().name());
        body.put("retryable", e.errorCode().retryable());
        body.put("message", e.sentence(locale));
        if (e instanceof RejectedSubmission r) {
            List<Map<String, Object>> problems = new ArrayList<>();
            for (Problem p : r.problems()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("severity", p.severity().name());
                m.put("code", p.code().code());
                m.put("pointer", p.pointer());
                m.put("message", p.sentence(locale));
                problems.add(m);
            }
            body.put("problems", problems);
        }
        return body;
    }
}
