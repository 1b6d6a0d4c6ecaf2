package org.puente.model.validation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.puente.model.validation.domain.MexicanRfc.Result;

class MexicanRfcTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "SAT970701NN3",   // Servicio de Administración Tributaria
        "CFE370814QI0",   // Comisión Federal de Electricidad
        "PME380607P35",   // Petróleos Mexicanos
        "GODE561231GR8"   // a person RFC used in SAT's published CFDI examples
    })
    void accepts_real_rfcs_whose_check_character_matches(String rfc) {
        assertThat(MexicanRfc.check(rfc)).isEqualTo(Result.VALID);
    }

    @Test
    void accepts_the_sat_generic_rfc_for_the_general_public_although_the_algorithm_gives_4() {
        assertThat(MexicanRfc.checkCharacter("XAXX01010100")).isEqualTo('4');
        assertThat(MexicanRfc.check("XAXX010101000")).isEqualTo(Result.VALID);
    }

    @Test
    void accepts_the_sat_generic_rfc_for_foreign_residents_whose_check_character_matches() {
        assertThat(MexicanRfc.checkCharacter("XEXX01010100")).isEqualTo('0');
        assertThat(MexicanRfc.check("XEXX010101000")).isEqualTo(Result.VALID);
    }

    @Test
    void computes_the_check_character_of_company_and_person_rfcs() {
        assertThat(MexicanRfc.checkCharacter("SAT970701NN")).isEqualTo('3');
        assertThat(MexicanRfc.checkCharacter("GODE561231GR")).isEqualTo('8');
        assertThat(MexicanRfc.checkCharacter("CFE370814QI")).isEqualTo('0');
    }

    @Test
    void writes_a_check_value_of_ten_as_a() {
        // ENO8910131A: 11 - (sum mod 11) = 10.
        assertThat(MexicanRfc.checkCharacter("ENO8910131A")).isEqualTo('A');
        assertThat(MexicanRfc.check("ENO8910131AA")).isEqualTo(Result.VALID);
    }

    @Test
    void reports_a_wrong_check_character_as_a_mismatch_not_a_format_error() {
        assertThat(MexicanRfc.check("SAT970701NN4")).isEqualTo(Result.CHECK_DIGIT_MISMATCH);
        assertThat(MexicanRfc.check("GODE561231GR9")).isEqualTo(Result.CHECK_DIGIT_MISMATCH);
    }

    @Test
    void accepts_ampersand_and_enye_in_the_name_part() {
        String company = "M&A0501013K";
        String person = "MUÑO800101AB";
        assertThat(MexicanRfc.check(company + MexicanRfc.checkCharacter(company))).isEqualTo(Result.VALID);
        assertThat(MexicanRfc.check(person + MexicanRfc.checkCharacter(person))).isEqualTo(Result.VALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SA970701NN3",     // 2 letters
        "SATXY970701NN3",  // 5 letters
        "SAT971301NN3",    // month 13
        "SAT970732NN3",    // day 32
        "SAT970230NN3",    // 30 February
        "SAT970701NN",     // no check character
        "SAT970701NNB",    // check character must be a digit or A
        "sat970701nn3",    // lower case
        "SAT-970701-NN3",  // separators
        ""
    })
    void rejects_malformed_rfcs(String rfc) {
        assertThat(MexicanRfc.check(rfc)).isEqualTo(Result.MALFORMED);
    }

    @Test
    void accepts_29_february_only_when_the_year_can_be_a_leap_year() {
        String leap = "ABC000229AB";   // 2000 was a leap year
        String notLeap = "ABC010229AB"; // neither 1901 nor 2001
        assertThat(MexicanRfc.check(leap + MexicanRfc.checkCharacter(leap))).isEqualTo(Result.VALID);
        assertThat(MexicanRfc.check(notLeap + "1")).isEqualTo(Result.MALFORMED);
    }

    @Test
    void tells_companies_from_persons_by_length() {
        assertThat(MexicanRfc.isCompany("SAT970701NN3")).isTrue();
        assertThat(MexicanRfc.isCompany("GODE561231GR8")).isFalse();
        assertThat(MexicanRfc.check(null)).isEqualTo(Result.MALFORMED);
    }
}
