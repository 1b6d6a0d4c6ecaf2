package org.puente.model.answer;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * A receiving agency's business answer to a message: its status and the reasons for it. It
 * travels back to the sending gateway inside a signed notice and appears in the sender's status
 * history and in the audit logs of both gateways.
 *
 * @param status  what the agency made of the message
 * @param reasons why (at least one unless {@link BusinessStatus#ACCEPTED}), at most {@value #MAX_REASONS}
 */
@JsonPropertyOrder(alphabetic = true)
public record BusinessAnswer(BusinessStatus status, List<Reason> reasons) {
    public static final int MAX_REASONS = 20;
    public static final int MAX_TEXT = 500;
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

    /**
     * One reason.
     *
     * @param code    the agency's own code for it, {@code [a-z][a-z0-9_.-]{0,63}} (e.g. {@code hs_code_unknown})
     * @param text    a sentence for people, at most {@value BusinessAnswer#MAX_TEXT} characters, no control characters
     * @param pointer optionally, where in the payload (a JSON pointer such as {@code /payload/equipment/0})
     */
    @JsonPropertyOrder(alphabetic = true)
    public record Reason(String code, String text, String pointer) {
    }

    public BusinessAnswer {
        // a null reason is kept for validated() to name (List.copyOf would refuse it without a code)
        reasons = reasons == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(reasons));
    }

    /**
     * Checks the answer an agency gave.
     *
     * @throws PuenteException {@code invalid_answer} naming what is wrong
     */
    public BusinessAnswer validated() {
        if (status == null) {
            throw invalid("status is required: ACCEPTED, ACCEPTED_WITH_WARNINGS, NOT_READABLE or REFUSED");
        }
        if (status.needsReasons() && reasons.isEmpty()) {
            throw invalid(status + " needs at least one reason");
        }
        if (reasons.size() > MAX_REASONS) {
            throw invalid("at most " + MAX_REASONS + " reasons, got " + reasons.size());
        }
        for (int i = 0; i < reasons.size(); i++) {
            Reason r = Objects.requireNonNullElse(reasons.get(i), new Reason(null, null, null));
            if (r.code() == null || !CODE.matcher(r.code()).matches()) {
                throw invalid("reason " + i + ": code must match [a-z][a-z0-9_.-]{0,63}");
            }
            if (r.text() == null || r.text().isBlank() || r.text().length() > MAX_TEXT || hasControl(r.text())) {
                throw invalid("reason " + i + ": text must be 1 to " + MAX_TEXT + " characters without control characters");
            }
            if (r.pointer() != null && (r.pointer().length() > 200 || !r.pointer().startsWith("/") || hasControl(r.pointer()))) {
                throw invalid("reason " + i + ": pointer must be a JSON pointer of at most 200 characters");
            }
        }
        return this;
    }

    /** One line for status histories and audit details: {@code REFUSED: hs_code_unknown (…); …}. */
    public String summary() {
        StringBuilder sb = new StringBuilder(status.name());
        for (int i = 0; i < reasons.size(); i++) {
            Reason r = reasons.get(i);
            sb.append(i == 0 ? ": " : "; ").append(r.code()).append(" (").append(r.text()).append(')');
        }
        return sb.length() <= 1000 ? sb.toString() : sb.substring(0, 997) + "...";
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static PuenteException invalid(String why) {
        return new PuenteException(ErrorCode.INVALID_ANSWER, why);
    }
}
