package org.puente.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The shared Jackson configuration and the canonical JSON form of signed structures.
 *
 * <p>Implementation note: canonical JSON here is the subset of RFC 8785 (JCS) that our signed
 * structures need: UTF-8, object members sorted by name, no insignificant white space, instants
 * as ISO-8601 UTC text ({@code 2026-11-28T20:14:36.123Z}), durations as ISO-8601 text
 * ({@code PT24H}), no floating-point numbers. Strict parsing: duplicate keys and trailing tokens
 * are refused, so two readers can never see two different headers in the same bytes.
 */
public final class CanonicalJson {
    /**
     * No limit on the length of one string: the peer link carries each envelope as one base64
     * string (~90 million characters for a 64 MiB payload), where Jackson's default stops at 20
     * million. What bounds every JSON input is the listener's request-size limit, checked before
     * the body is read ({@code puente.limits.*-request-bytes}).
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();
    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .addModule(new JavaTimeModule())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private CanonicalJson() {
    }

    /** The mapper every module uses for Puente's own JSON (thread-safe, do not reconfigure). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Canonical UTF-8 bytes of a value. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** Reads a value written by {@link #bytes(Object)} (or any equivalent JSON). */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
