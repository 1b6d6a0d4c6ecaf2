package org.puente.model.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.puente.model.error.ErrorCode;

/** Collects the problems of one validation run (not thread-safe: one per call). */
final class ProblemCollector {
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> errorPointers = new HashSet<>();

    void add(Problem problem) {
        problems.add(problem);
        if (problem.isError()) {
            errorPointers.add(problem.pointer());
        }
    }

    void error(ErrorCode code, String pointer, String... args) {
        add(Problem.error(code, pointer, args));
    }

    void warning(ErrorCode code, String pointer, String... args) {
        add(Problem.warning(code, pointer, args));
    }

    boolean hasErrorAt(String pointer) {
        return !errorPointers.isEmpty() && errorPointers.contains(pointer);
    }

    /** Whether an error was reported at this pointer or anywhere below it. */
    boolean hasErrorWithin(String pointer) {
        if (errorPointers.isEmpty()) {
            return false;
        }
        String prefix = pointer + "/";
        return errorPointers.stream().anyMatch(p -> p.equals(pointer) || p.startsWith(prefix));
    }

    boolean hasErrors() {
        return !errorPointers.isEmpty();
    }

    ValidationReport report() {
        return new ValidationReport(problems);
    }
}
