package org.puente.model.validation.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {"CSQU3054383", "MSKU9070323", "TGHU8765436", "FCIU9081723", "SEGU4021187"})
    void accepts_container_numbers_with_their_check_digit(String number) {
        assertThat(ContainerNumber.isValid(number)).isTrue();
    }

    @Test
    void computes_the_check_digit_of_the_iso_6346_example() {
        // Worked example of ISO 6346 Annex A: CSQU 305438, check digit 3.
        assertThat(ContainerNumber.checkDigit("CSQU305438")).isEqualTo(3);
    }

    @Test
    void a_remainder_of_ten_gives_check_digit_zero() {
        // MSCU480215: sum mod 11 = 10, written 0 (found by computing the remainders of candidates).
        assertThat(ContainerNumber.checkDigit("MSCU480215")).isZero();
        assertThat(ContainerNumber.isValid("MSCU4802150")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CSQU3054384", "CSQU3054380", "MSKU9070324"})
    void rejects_container_number_with_bad_check_digit(String number) {
        assertThat(ContainerNumber.isValid(number)).isFalse();
    }

    @Test
    void rejects_swapped_digits() {
        assertThat(ContainerNumber.isValid("CSQU3045383")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CSQX3054383", "CSQU305438", "CSQU30543833", "csqu3054383", "CSQ U3054383", "1SQU3054383", ""})
    void rejects_malformed_container_numbers(String number) {
        assertThat(ContainerNumber.isValid(number)).isFalse();
    }

    @Test
    void accepts_the_j_and_z_equipment_categories() {
        String j = "ABCJ123456";
        String z = "ABCZ123456";
        assertThat(ContainerNumber.isValid(j + ContainerNumber.checkDigit(j))).isTrue();
        assertThat(ContainerNumber.isValid(z + ContainerNumber.checkDigit(z))).isTrue();
    }

    @Test
    void rejects_null_and_refuses_a_wrong_length_for_the_check_digit() {
        assertThat(ContainerNumber.isValid(null)).isFalse();
        assertThatThrownBy(() -> ContainerNumber.checkDigit("CSQU30543")).isInstanceOf(IllegalArgumentException.class);
    }
}
