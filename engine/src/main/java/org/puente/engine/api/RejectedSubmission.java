package org.puente.engine.api;

import java.util.List;
import org.puente.model.error.ErrorCategory;
import org.puente.model.error.PuenteException;
import org.puente.model.validation.Problem;

/**
 * A submission refused with every problem found in it (answered 400, 409 for a conflict with what
 * is stored, or 403 when one of them is an authorization problem). Its code is the first problem's.
 */
public final class RejectedSubmission extends PuenteException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public RejectedSubmission(List<Problem> problems) {
        super(problems.get(0).code(), problems.get(0).args().toArray());
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /**
     * 403 when the catalogue forbids the exchange; otherwise the first problem's status: 400 when
     * the message itself is wrong, 409 when it conflicts with what is stored (an assistance case).
     */
    public int httpStatus() {
        return problems.stream().anyMatch(p -> p.code().category() == ErrorCategory.SECURITY) ? 403
                : problems.get(0).code().httpStatus();
    }
}
