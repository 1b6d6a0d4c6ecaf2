package org.puente.routes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.puente.engine.answer.AnswerRows;
import org.puente.model.answer.BusinessAnswer;
import java.util.Locale;
import org.puente.engine.api.ErrorBody;
import org.puente.engine.outbound.StatusService;
import org.puente.engine.outbound.StatusStore;
import org.puente.engine.outbound.SubmissionService;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The JSON bodies of the agency API (docs/openapi/agency-api.json), as types: what an answer
 * carries is decided here, once, for REST (and checked against the OpenAPI document by the
 * tests).
 */
public final class AgencyBodies {
    private AgencyBodies() {
    }

    /**
     * {@code 202}: a submission accepted (or an idempotent retry that found it), with the warnings
     * its validation found (absent when there are none), e.g. {@code schema_version_deprecated}.
     */
    public record Accepted(String messageId, String status, String statusUrl, boolean replayed,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ErrorBody.ProblemBody> warnings) {
        static Accepted of(SubmissionService.Accepted a, Locale locale) {
            List<ErrorBody.ProblemBody> warnings = a.warnings().stream().map(p -> ErrorBody.problem(p, locale)).toList();
            return new Accepted(a.messageId().toString(), "ACCEPTED", AgencyBodies.statusUrl(a.messageId().toString()),
                    a.replayed(), warnings);
        }
    }

    /** One item of a batch answer: the status it would have had alone, and its body. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BatchItem(int index, int status, String messageId, String statusUrl, Boolean replayed, ErrorBody error) {
    }

    public record BatchAnswer(List<BatchItem> results) {
        static BatchAnswer of(List<SubmissionService.ItemResult> results, Locale locale) {
            List<BatchItem> items = new java.util.ArrayList<>(results.size());
            for (int i = 0; i < results.size(); i++) {
                SubmissionService.ItemResult r = results.get(i);
                if (r.accepted() != null) {
                    String id = r.accepted().messageId().toString();
                    items.add(new BatchItem(i, 202, id, statusUrl(id), r.accepted().replayed(), null));
                } else {
                    items.add(new BatchItem(i, ErrorBody.status(r.failure()), null, null, null,
                            ErrorBody.of(r.failure(), locale)));
                }
            }
            return new BatchAnswer(items);
        }
    }

    /** One step of a message's status history. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HistoryStep(String status, String at, String errorCode, String message, String detail) {
    }

    /** A submitted message's state and history. */
    public record Status(String messageId, String messageType, String receiver, String priority, String state, int attempts,
                         String expiresAt, List<HistoryStep> history, Answer answer) {
        static Status of(StatusService.StatusView v, Locale locale) {
            List<HistoryStep> history = new java.util.ArrayList<>();
            for (StatusStore.Entry e : v.history()) {
                String message = e.errorCode() == null ? null
                        : ErrorCode.fromCode(e.errorCode()).map(c -> c.sentence(locale)).orElse(null);
                history.add(new HistoryStep(e.status().name(), e.at().toString(), e.errorCode(), message, e.detail()));
            }
            return new Status(v.entry().messageId().toString(), v.entry().header().messageType(),
                    v.entry().header().receiver().toString(), v.entry().header().priority().name(), v.entry().state().name(),
                    v.entry().attempts(), v.entry().expiresAt().toString(), history,
                    v.answer().map(Answer::of).orElse(null));
        }
    }

    /** A business answer as the API shows it: the receiving agency's (or, answering, the caller's own). */
    public record Answer(String messageId, String agency, String status, List<BusinessAnswer.Reason> reasons,
                         String answeredAt) {
        static Answer of(AnswerRows.Row r) {
            return new Answer(r.messageId().toString(), r.agency(), r.answer().status().name(), r.answer().reasons(),
                    r.answeredAt().toString());
        }
    }

    /** An acknowledgement's answer. */
    public record Acknowledged(String messageId, boolean acknowledged, String acknowledgedAt) {
    }

    static String statusUrl(String messageId) {
        return "/api/v1/messages/" + messageId;
    }

    /** A whole number query parameter, 0 or more. */
    static long number(String name, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new PuenteException(ErrorCode.WRONG_TYPE, "a non-negative whole number for " + name);
        }
    }
}
