package org.puente.routes.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.exchange.SubmissionService;
import org.puente.routes.store.InboxEntry;

/**
 * JSON of the agency API: writes mailbox messages with their payload bytes exactly as the
 * sending agency submitted them, and splits a batch request into its documents without
 * re-serializing them.
 */
public final class JsonBodies {
    private static final ObjectMapper MAPPER = CanonicalJson.mapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonBodies() {
    }

    public static byte[] write(Object value) {
        return CanonicalJson.bytes(value);
    }

    /** {@code {"messages":[...],"next":n}}: each message with its header and its raw payload. */
    public static byte[] mailboxPage(List<InboxEntry> entries, long next) {
        return generate(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("messages");
            for (InboxEntry e : entries) {
                message(g, e);
            }
            g.writeEndArray();
            g.writeNumberField("next", next);
            g.writeEndObject();
        });
    }

    public static byte[] mailboxMessage(InboxEntry e) {
        return generate(g -> message(g, e));
    }

    private static void message(JsonGenerator g, InboxEntry e) throws IOException {
        g.writeStartObject();
        g.writeStringField("messageId", e.messageId().toString());
        g.writeNumberField("mailboxSeq", e.mailboxSeq());
        g.writeStringField("receivedAt", e.receivedAt().toString());
        g.writeBooleanField("acknowledged", e.acknowledgedAt() != null);
        g.writeFieldName("header");
        MAPPER.writeValue(g, e.header());
        g.writeFieldName("payload");
        g.writeRawValue(new String(e.payload(), StandardCharsets.UTF_8));
        g.writeEndObject();
    }

    /**
     * Splits {@code {"messages":[{"idempotencyKey":"k","message":{...}}, ...]}} into items, each
     * document sliced from the request bytes as sent.
     */
    public static List<SubmissionService.Item> batchItems(byte[] body, int maxItems) {
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

    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] generate(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
