package org.puente.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The peer link carries each envelope as base64 text inside JSON: for the largest payload a
 * gateway accepts (64 MiB, {@code puente.limits.max-payload-bytes}) that is one string of ~90
 * million characters. Jackson's default limit on a string is 20 million characters, so every
 * payload above ~14 MiB was accepted with 202 by the sending gateway and then refused by the
 * receiving one as malformed JSON, retry after retry (found by LargePayloadTest). What bounds
 * the input is the listeners' request-size limit, checked before the body is read.
 */
class CanonicalJsonLimitsTest {
    @Test
    void a_string_as_long_as_the_base64_of_the_largest_envelope_is_read() {
        int length = (int) ((64L * 1024 * 1024 + 64 * 1024) * 4 / 3) + 4;
        char[] text = new char[length];
        Arrays.fill(text, 'A');
        byte[] json = ("{\"envelope\":\"" + new String(text) + "\"}").getBytes(StandardCharsets.US_ASCII);

        @SuppressWarnings("unchecked")
        Map<String, String> read = CanonicalJson.read(json, Map.class);

        assertThat(read.get("envelope")).hasSize(length);
    }
}
