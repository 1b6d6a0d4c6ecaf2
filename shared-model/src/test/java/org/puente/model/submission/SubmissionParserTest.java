package org.puente.model.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.model.submission.SubmissionParser.ParsedDocument;

/** The payload handed to the receiving agency must be byte for byte what the sending agency wrote. */
class SubmissionParserTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String payloadOf(String document) {
        byte[] bytes = utf8(document);
        return new String(SubmissionParser.payloadBytes(bytes, SubmissionParser.parse(bytes)), StandardCharsets.UTF_8);
    }

    @Test
    void keeps_white_space_key_order_and_number_forms_of_the_payload() {
        String payload = "{ \"b\" :1.50 ,\n\t\"a\":[ 1, 2 ,3 ],  \"c\": 1E3 }";
        assertThat(payloadOf("{\"messageType\":\"x.y\",\"payload\":" + payload + ",\"language\":\"en\"}")).isEqualTo(payload);
    }

    @Test
    void keeps_unicode_escapes_and_raw_non_ascii_characters_as_written() {
        String payload = "{\"name\":\"Aduana de Nuevo Laredo \\u00d1 \\\"240\\\"\",\"ciudad\":\"Querétaro – 東京 😀\",\"slash\":\"a\\/b\"}";
        assertThat(payloadOf("{\"payload\":" + payload + "}")).isEqualTo(payload);
    }

    @Test
    void keeps_nested_objects_and_empty_containers() {
        String payload = "{\"a\":{\"b\":{\"c\":[{},[],{\"d\":null}]}},\"e\":{}}";
        assertThat(payloadOf("{\r\n  \"payload\" :   " + payload + "   \r\n}\r\n")).isEqualTo(payload);
    }

    @Test
    void finds_the_payload_wherever_it_stands_among_the_members() {
        String payload = "{\"payload\":{\"payload\":1}}";
        assertThat(payloadOf("{\"payload\":" + payload + ",\"messageType\":\"payload\"}")).isEqualTo(payload);
        assertThat(payloadOf("{\"sender\":{\"payload\":{}},\"payload\":" + payload + "}")).isEqualTo(payload);
    }

    @Test
    void skips_a_byte_order_mark_without_shifting_the_payload() {
        byte[] doc = utf8("\uFEFF{\"payload\":{\"k\":\"v\"}}");
        assertThat(new String(SubmissionParser.payloadBytes(doc, SubmissionParser.parse(doc)), StandardCharsets.UTF_8)).isEqualTo("{\"k\":\"v\"}");
    }

    @Test
    void parses_the_whole_document_into_a_tree() {
        ParsedDocument doc = SubmissionParser.parse(utf8("{\"messageType\":\"cargo.manifest\",\"payload\":{\"a\":[1]}}"));
        assertThat(doc.root().path("messageType").asText()).isEqualTo("cargo.manifest");
        assertThat(doc.root().path("payload").path("a").get(0).asInt()).isEqualTo(1);
        assertThat(doc.hasPayloadObject()).isTrue();
    }

    @Test
    void reports_no_payload_slice_when_the_payload_is_not_an_object() {
        ParsedDocument doc = SubmissionParser.parse(utf8("{\"payload\":[1,2]}"));
        assertThat(doc.hasPayloadObject()).isFalse();
        assertThat(SubmissionParser.parse(utf8("[1]")).root().isArray()).isTrue();
    }

    @Test
    void rejects_duplicate_keys_so_two_readers_cannot_see_two_messages() {
        assertMalformed("{\"payload\":{\"amount\":1,\"amount\":1000}}");
        assertMalformed("{\"messageType\":\"a.b\",\"messageType\":\"c.d\",\"payload\":{}}");
    }

    @Test
    void rejects_content_after_the_document() {
        assertMalformed("{\"payload\":{}} {\"payload\":{}}");
        assertMalformed("{\"payload\":{}}]");
    }

    @Test
    void rejects_truncated_and_empty_documents() {
        assertMalformed("{\"payload\":{\"a\":");
        assertMalformed("");
        assertMalformed("   ");
    }

    @Test
    void rejects_utf16_documents() {
        assertMalformed(new String("{\"payload\":{}}".getBytes(StandardCharsets.UTF_16BE), StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> SubmissionParser.parse("{\"payload\":{}}".getBytes(StandardCharsets.UTF_16)))
                .isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_JSON));
    }

    @Test
    void rejects_invalid_utf8_bytes() {
        byte[] doc = utf8("{\"payload\":{\"a\":\"xx\"}}");
        doc[17] = (byte) 0xC3;
        doc[18] = (byte) 0x28;
        assertThatThrownBy(() -> SubmissionParser.parse(doc))
                .isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_JSON));
    }

    private static void assertMalformed(String document) {
        assertMalformed(document, StandardCharsets.UTF_8);
    }

    private static void assertMalformed(String document, java.nio.charset.Charset charset) {
        assertThatThrownBy(() -> SubmissionParser.parse(document.getBytes(charset)))
                .isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_JSON));
    }
}
