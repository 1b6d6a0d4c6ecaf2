package org.puente.model.validation;

import java.util.Optional;
import org.puente.model.submission.Submission;

/** The outcome of checking one submission: its report, and the parsed submission when it has no errors. */
public final class SubmissionCheck {
    private final ValidationReport report;
    private final Submission submission;

    SubmissionCheck(ValidationReport report, Submission submission) {
        this.report = report;
        this.submission = submission;
    }

    public ValidationReport report() {
        return report;
    }

    /** The parsed submission; present exactly when the report has no errors. */
    public Optional<Submission> submission() {
        return Optional.ofNullable(submission);
    }

    /** Whether the submission may be accepted (it may still carry warnings). */
    public boolean accepted() {
        return submission != null;
    }

    @Override
    public String toString() {
        return "SubmissionCheck[accepted=" + accepted() + ", problems=" + report.problems() + "]";
    }
}
