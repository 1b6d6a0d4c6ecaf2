package org.puente.model.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** The business answer's rules at their edges: reasons required, counted, shaped; the summary bounded. */
class BusinessAnswerTest {
    private static final BusinessAnswer.Reason OK = new BusinessAnswer.Reason("hs_code_unknown", "Not in the tariff.", null);

    @Test
    void accepted_needs_no_reason_and_every_other_status_needs_one() {
        assertThat(new BusinessAnswer(BusinessStatus.ACCEPTED, null).validated().reasons()).isEmpty();
        for (BusinessStatus s : List.of(BusinessStatus.ACCEPTED_WITH_WARNINGS, BusinessStatus.NOT_READABLE,
                BusinessStatus.REFUSED)) {
            assertInvalid(new BusinessAnswer(s, List.of()), s + " needs at least one reason");
            assertThat(new BusinessAnswer(s, List.of(OK)).validated().status()).isEqualTo(s);
        }
        assertInvalid(new BusinessAnswer(null, List.of(OK)), "status is required");
    }

    @Test
    void twenty_reasons_pass_and_twenty_one_do_not() {
        assertThat(new BusinessAnswer(BusinessStatus.REFUSED, Collections.nCopies(20, OK)).validated().reasons()).hasSize(20);
        assertInvalid(new BusinessAnswer(BusinessStatus.REFUSED, Collections.nCopies(21, OK)), "at most 20 reasons");
    }

    @Test
    void a_reason_has_a_code_of_the_agreed_form_a_text_of_one_to_500_characters_and_optionally_a_pointer() {
        assertInvalid(refusal(new BusinessAnswer.Reason("Upper", "x", null)), "reason 0: code");
        assertInvalid(refusal(new BusinessAnswer.Reason("a".repeat(65), "x", null)), "reason 0: code");
        assertThat(refusal(new BusinessAnswer.Reason("a".repeat(64), "x".repeat(500), "/payload")).validated()).isNotNull();
        assertInvalid(refusal(new BusinessAnswer.Reason("ok", "x".repeat(501), null)), "reason 0: text");
        assertInvalid(refusal(new BusinessAnswer.Reason("ok", " ", null)), "reason 0: text");
        assertInvalid(refusal(new BusinessAnswer.Reason("ok", "tab\there", null)), "reason 0: text");
        assertInvalid(refusal(new BusinessAnswer.Reason("ok", "x", "payload")), "reason 0: pointer");
        assertInvalid(refusal(null), "reason 0: code");
    }

    @Test
    void the_summary_names_status_and_reasons_and_stays_within_a_status_detail() {
        assertThat(refusal(OK).summary()).isEqualTo("REFUSED: hs_code_unknown (Not in the tariff.)");
        BusinessAnswer long_ = new BusinessAnswer(BusinessStatus.REFUSED,
                Collections.nCopies(20, new BusinessAnswer.Reason("c", "y".repeat(500), null)));
        assertThat(long_.summary()).hasSize(1000).endsWith("...");
    }

    @Test
    void without_a_pointer_the_canonical_form_reads_back_equal() {
        BusinessAnswer a = refusal(OK);
        assertThat(CanonicalJson.read(CanonicalJson.bytes(a), BusinessAnswer.class)).isEqualTo(a);
    }

    private static BusinessAnswer refusal(BusinessAnswer.Reason r) {
        return new BusinessAnswer(BusinessStatus.REFUSED, java.util.Arrays.asList(r));
    }

    private static void assertInvalid(BusinessAnswer a, String why) {
        assertThatThrownBy(a::validated).isInstanceOfSatisfying(PuenteException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ANSWER);
            assertThat(e.getMessage()).contains(why);
        });
    }
}
