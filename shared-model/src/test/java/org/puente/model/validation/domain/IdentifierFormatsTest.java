package org.puente.model.validation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.puente.model.Country;

/** The identifier checks without a check digit: pedimento, port codes, SCAC, HS, UN/LOCODE, EIN, code lists. */
class IdentifierFormatsTest {

    @Nested
    class Pedimento {
        @ParameterizedTest
        @ValueSource(strings = {"26  24  3456  6001234", "25  16  1823  5000001", "30  47  0001  0999999"})
        void accepts_pedimentos_whose_sequence_starts_with_the_year_digit(String number) {
            assertThat(PedimentoNumber.isValid(number)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "26  24  3456  5001234",  // sequence starts with 5, year ends in 6
            "26 24 3456 6001234",     // single spaces
            "262434566001234",        // no spaces
            "26  24  3456  600123",   // sequence of 6 digits
            "26  240  3456  6001234", // 3-digit office
            "26  24  34A6  6001234",
            " 26  24  3456  6001234"
        })
        void rejects_malformed_pedimentos(String number) {
            assertThat(PedimentoNumber.isValid(number)).isFalse();
        }
    }

    @Nested
    class Ports {
        @Test
        void knows_the_form_of_us_ports_and_mexican_customs_offices() {
            assertThat(PortCode.isUsPort("2304")).isTrue();   // Laredo
            assertThat(PortCode.isUsPort("2704")).isTrue();   // Los Angeles
            assertThat(PortCode.isMxCustomsOffice("240")).isTrue(); // Nuevo Laredo
            assertThat(PortCode.isValid(Country.MX, "160")).isTrue(); // Manzanillo
            assertThat(PortCode.isValid(Country.US, "240")).isFalse();
            assertThat(PortCode.isValid(Country.MX, "2304")).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"230", "23045", "23A4", "0004", ""})
        void rejects_malformed_us_ports(String code) {
            assertThat(PortCode.isUsPort(code)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"24", "2400", "2A0", "007", ""})
        void rejects_malformed_mexican_customs_offices(String code) {
            assertThat(PortCode.isMxCustomsOffice(code)).isFalse();
        }
    }

    @Nested
    class Carriers {
        @ParameterizedTest
        @ValueSource(strings = {"UP", "BNSF", "KCS", "TXMR"})
        void accepts_scacs_of_two_to_four_letters(String scac) {
            assertThat(Scac.isValid(scac)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"U", "BNSFX", "TX1", "up", ""})
        void rejects_other_carrier_codes(String scac) {
            assertThat(Scac.isValid(scac)).isFalse();
        }
    }

    @Nested
    class Commodities {
        @ParameterizedTest
        @ValueSource(strings = {"870840", "010121", "970610", "620342"})
        void accepts_hs_subheadings_of_existing_chapters(String code) {
            assertThat(HsCode.isValid(code)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"8708.40", "87084", "8708400", "000000", "770100", "980100", "990120", "ABCDEF"})
        void rejects_other_commodity_codes(String code) {
            assertThat(HsCode.isValid(code)).isFalse();
        }
    }

    @Nested
    class Locations {
        @ParameterizedTest
        @ValueSource(strings = {"USLRD", "MXNLD", "MXMTY", "USHOU", "DEHAM", "GB2NB"})
        void accepts_un_locodes_of_assigned_countries(String code) {
            assertThat(UnLocode.isValid(code)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"US LRD", "USLR", "USLRDX", "XXABC", "USLR1", "usLRD", "XKPRN"})
        void rejects_other_locations(String code) {
            assertThat(UnLocode.isValid(code)).isFalse();
        }
    }

    @Nested
    class EmployerIds {
        @Test
        void accepts_eins_with_an_assigned_prefix() {
            assertThat(EmployerIdentificationNumber.isWellFormed("74-3829105")).isTrue();
            assertThat(EmployerIdentificationNumber.hasAssignedPrefix("74-3829105")).isTrue();
            assertThat(EmployerIdentificationNumber.hasAssignedPrefix("01-0000001")).isTrue();
            assertThat(EmployerIdentificationNumber.hasAssignedPrefix("99-1234567")).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"00-1234567", "07-1234567", "19-1234567", "49-1234567", "70-1234567", "89-1234567", "96-1234567"})
        void flags_prefixes_the_irs_does_not_assign(String ein) {
            assertThat(EmployerIdentificationNumber.isWellFormed(ein)).isTrue();
            assertThat(EmployerIdentificationNumber.hasAssignedPrefix(ein)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"743829105", "74-382910", "743-829105", "74 3829105", "AB-1234567"})
        void rejects_malformed_eins(String ein) {
            assertThat(EmployerIdentificationNumber.isWellFormed(ein)).isFalse();
        }
    }

    @Nested
    class CodeLists {
        @Test
        void country_list_holds_the_249_assigned_codes_and_no_user_assigned_ones() {
            assertThat(CountryCodes.count()).isEqualTo(249);
            assertThat(CountryCodes.isAssigned("MX")).isTrue();
            assertThat(CountryCodes.isAssigned("US")).isTrue();
            assertThat(CountryCodes.isAssigned("SS")).isTrue();
            assertThat(CountryCodes.name("MX")).contains("Mexico");
            assertThat(CountryCodes.isAssigned("XK")).isFalse();
            assertThat(CountryCodes.isAssigned("UK")).isFalse();
            assertThat(CountryCodes.isAssigned("EU")).isFalse();
            assertThat(CountryCodes.isAssigned("mx")).isFalse();
            assertThat(CountryCodes.isAssigned(null)).isFalse();
        }

        @Test
        void currency_list_holds_codes_in_use_and_not_withdrawn_ones() {
            assertThat(CurrencyCodes.isActive("USD")).isTrue();
            assertThat(CurrencyCodes.isActive("MXN")).isTrue();
            assertThat(CurrencyCodes.isActive("EUR")).isTrue();
            assertThat(CurrencyCodes.name("MXN")).contains("Mexican Peso");
            assertThat(CurrencyCodes.isActive("DEM")).isFalse();
            assertThat(CurrencyCodes.isActive("MXP")).isFalse();
            assertThat(CurrencyCodes.isActive("VEF")).isFalse();
            assertThat(CurrencyCodes.isActive("usd")).isFalse();
            assertThat(CurrencyCodes.count()).isBetween(150, 200);
        }
    }
}
