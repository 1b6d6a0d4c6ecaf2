package org.puente.engine.outbound;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** Reads a batch submission into its items, each document sliced from the request bytes as sent (never re-serialized). */
public final class BatchRequests {
    private static final JsonFactory FACTORY = CanonicalJson.mapper().getFactory();

    private BatchRequests() {
    }

    /**
     * Splits {@code {"messages":[{"idempotencyKey":"k","message":{...}}, ...]}} into items, each
     * document sliced from the request bytes as sent.
     */
    public static List<SubmissionService.Item> items(byte[] body, int maxItems) {
        List<SubmissionService.Item> items = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "a JSON object with a \"messages\" array");
            boolean sawMessages = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!"messages".equals(field)) {
                    throw new PuenteException(ErrorCode.UNKNOWN_FIELD, field);
                }
                expect(t == JsonToken.START_ARRAY, "\"messages\" to be an array");
                sawMessages = true;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    if (items.size() == maxItems) {
                        throw new PuenteException(ErrorCode.TOO_MANY_ITEMS, maxItems);
                    }
                    items.add(item(p, body));
                }
            }
            expect(sawMessages, "a \"messages\" array");
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, "unreadable");
        }
        return items;
    }

    private static SubmissionService.Item item(JsonParser p, byte[] body) throws IOException {
        String key = null;
        byte[] document = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if ("idempotencyKey".equals(field)) {
                expect(t == JsonToken.VALUE_STRING, "\"idempotencyKey\" to be a string");
                key = p.getText();
            } else if ("message".equals(field)) {
                expect(t == JsonToken.START_OBJECT, "\"message\" to be an object");
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                int end = (int) p.currentLocation().getByteOffset();
                document = Arrays.copyOfRange(body, start, end);
            } else {
                throw new PuenteException(ErrorCode.UNKNOWN_FIELD, field);
            }
        }
        expect(document != null, "each item to have a \"message\"");
        return new SubmissionService.Item(document, key);
    }

    private static void expect(boolean ok, String what) {
        if (!ok) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, "expected " + what);
        }
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "unreadable";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

}
