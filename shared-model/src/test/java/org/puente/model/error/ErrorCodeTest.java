package org.puente.model.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    private static Properties bundle(String resource) throws IOException {
        Properties p = new Properties();
        try (InputStream in = ErrorCodeTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void every_code_has_an_english_and_a_different_spanish_sentence() throws IOException {
        Properties en = bundle("org/puente/model/error/ErrorMessages.properties");
        Properties es = bundle("org/puente/model/error/ErrorMessages_es.properties");
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(en.getProperty(code.code())).as("English for " + code.code()).isNotBlank();
            assertThat(es.getProperty(code.code())).as("Spanish for " + code.code()).isNotBlank();
            assertThat(es.getProperty(code.code())).as("Spanish differs from English for " + code.code())
                    .isNotEqualTo(en.getProperty(code.code()));
        }
    }

    @Test
    void bundles_hold_no_sentence_without_a_code() throws IOException {
        Set<String> codes = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
        assertThat(bundle("org/puente/model/error/ErrorMessages.properties").stringPropertyNames()).isSubsetOf(codes);
        assertThat(bundle("org/puente/model/error/ErrorMessages_es.properties").stringPropertyNames()).isSubsetOf(codes);
    }

    @Test
    void codes_are_unique_snake_case() {
        Set<String> codes = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
        assertThat(codes).hasSize(ErrorCode.values().length);
        assertThat(codes).allMatch(c -> c.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"));
        assertThat(ErrorCode.fromCode("bad_signature")).contains(ErrorCode.BAD_SIGNATURE);
        assertThat(ErrorCode.fromCode("no_such_code")).isEmpty();
    }

    @Test
    void sentences_are_rendered_in_the_asked_language_with_their_details() {
        assertThat(ErrorCode.REQUIRED_FIELD_MISSING.sentence(Locale.ENGLISH, "payload"))
                .isEqualTo("The required field \"payload\" is missing.");
        assertThat(ErrorCode.REQUIRED_FIELD_MISSING.sentence(Locale.forLanguageTag("es-MX"), "payload"))
                .isEqualTo("Falta el campo obligatorio \"payload\".");
        assertThat(ErrorCode.RFC_CHECK_DIGIT_MISMATCH.sentence(Locale.ENGLISH, "ANO150312K78")).contains("ANO150312K78");
    }

    @Test
    void json_form_of_a_code_is_its_snake_case_wire_form() throws Exception {
        var mapper = org.puente.model.CanonicalJson.mapper();
        assertThat(mapper.writeValueAsString(ErrorCode.BAD_SIGNATURE)).isEqualTo("\"bad_signature\"");
        assertThat(mapper.readValue("\"invalid_rfc\"", ErrorCode.class)).isEqualTo(ErrorCode.INVALID_RFC);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mapper.readValue("\"BAD_SIGNATURE\"", ErrorCode.class))
                .isInstanceOf(com.fasterxml.jackson.databind.JsonMappingException.class);
    }

    @Test
    void exception_keeps_its_code_and_details() {
        PuenteException e = new PuenteException(ErrorCode.UNKNOWN_MESSAGE_TYPE, "cargo.manifesto");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE);
        assertThat(e.args()).containsExactly("cargo.manifesto");
        assertThat(e.sentence(Locale.forLanguageTag("es"))).contains("cargo.manifesto").contains("catálogo");
    }
}
