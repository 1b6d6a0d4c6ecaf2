package org.puente.engine.inbound;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.puente.model.CanonicalJson;

/**
 * The JSON form of mailbox messages, the same on every channel (a mailbox page, one message, a
 * push to an agency's endpoint, a file in its drop folder): the header, and the payload bytes
 * exactly as the sending agency submitted them, embedded as raw JSON (never re-serialized).
 */
public final class MailboxMessages {
    private static final ObjectMapper MAPPER = CanonicalJson.mapper();

    private MailboxMessages() {
    }

    /** {@code {"messages":[...],"next":n}}. */
    public static byte[] page(List<InboxEntry> entries, long next) {
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

    /**
     * {@code {"messageId":..., "mailboxSeq":..., "receivedAt":..., "acknowledged":..., "withdrawal":{...}, "header":{...},
     * "payload":{...}}} ({@code withdrawal} only once the sender cancelled or replaced it).
     */
    public static byte[] one(InboxEntry e) {
        return generate(g -> message(g, e));
    }

    private static void message(JsonGenerator g, InboxEntry e) throws IOException {
        g.writeStartObject();
        g.writeStringField("messageId", e.messageId().toString());
        g.writeNumberField("mailboxSeq", e.mailboxSeq());
        g.writeStringField("receivedAt", e.receivedAt().toString());
        g.writeBooleanField("acknowledged", e.acknowledgedAt() != null);
        if (e.withdrawal() != null) {
            g.writeObjectFieldStart("withdrawal");
            g.writeStringField("kind", e.withdrawal().kind());
            g.writeStringField("reason", e.withdrawal().reason());
            if (e.withdrawal().replacement() != null) {
                g.writeStringField("replacement", e.withdrawal().replacement().toString());
            }
            g.writeStringField("at", e.withdrawal().at().toString());
            g.writeEndObject();
        }
        g.writeFieldName("header");
        MAPPER.writeValue(g, e.header());
        g.writeFieldName("payload");
        g.writeRawValue(new String(e.payload(), StandardCharsets.UTF_8));
        g.writeEndObject();
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] generate(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
