package org.puente.model.validation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * Every problem found in one message, errors and warnings, in the order the checks ran.
 *
 * @param problems errors and warnings
 */
public record ValidationReport(List<Problem> problems) {
    private static final ValidationReport EMPTY = new ValidationReport(List.of());

    public ValidationReport {
        problems = List.copyOf(problems);
    }

    public static ValidationReport empty() {
        return EMPTY;
    }

    @JsonIgnore
    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    @JsonIgnore
    public List<Problem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    /** Whether the message must be refused; warnings never make a message invalid. */
    public boolean hasErrors() {
        return problems.stream().anyMatch(Problem::isError);
    }
}
