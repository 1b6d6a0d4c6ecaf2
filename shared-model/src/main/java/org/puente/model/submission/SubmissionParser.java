package org.puente.model.submission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.puente.model.AgencyRef;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Reads a submission document in one streaming pass: the tree of the whole document for the
 * checks, and the byte range of the {@code payload} member so that the payload can be forwarded
 * exactly as written.
 *
 * <p>Implementation note: strict parsing (shared with {@link CanonicalJson}): duplicate keys and
 * trailing content are refused, so the gateway and the receiving agency can never read two
 * different messages from the same bytes. Only UTF-8 is accepted (RFC 8259 section 8.1); the
 * payload offsets are byte offsets into the submitted array.
 */
public final class SubmissionParser {
    private static final ObjectMapper MAPPER = CanonicalJson.mapper();
    /** Reads one member value at a time; trailing tokens are checked once, for the whole document. */
    private static final ObjectReader MEMBER_READER = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SubmissionParser() {
    }

    /**
     * The parsed document.
     *
     * @param root         the whole document (any JSON value; the submission schema checks it is an object)
     * @param payloadStart offset of the payload's opening brace, or -1 when the payload is absent or not an object
     * @param payloadEnd   offset just after the payload's closing brace, or -1
     */
    public record ParsedDocument(JsonNode root, long payloadStart, long payloadEnd) {

        public boolean hasPayloadObject() {
            return payloadStart >= 0;
        }
    }

    /**
     * Parses a submission document.
     *
     * @throws PuenteException {@code malformed_json} when the bytes are not one well-formed UTF-8 JSON value
     */
    public static ParsedDocument parse(byte[] json) {
        if (json == null || json.length == 0) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, "the document is empty");
        }
        if (!looksLikeUtf8(json)) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, "the document must be encoded in UTF-8");
        }
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new PuenteException(ErrorCode.MALFORMED_JSON, "the document is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                JsonNode value = MEMBER_READER.readTree(parser);
                requireEnd(parser);
                return new ParsedDocument(value, -1, -1);
            }
            ObjectNode root = MAPPER.createObjectNode();
            long start = -1;
            long end = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken valueToken = parser.nextToken();
                boolean payload = "payload".equals(name) && valueToken == JsonToken.START_OBJECT;
                long from = parser.currentTokenLocation().getByteOffset();
                JsonNode value = MEMBER_READER.readTree(parser);
                if (payload) {
                    start = from;
                    end = parser.currentLocation().getByteOffset();
                }
                root.set(name, value);
            }
            requireEnd(parser);
            return new ParsedDocument(root, start, end);
        } catch (JsonProcessingException e) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, describe(e));
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, e.getMessage());
        }
    }

    /** The exact bytes of the payload member of a document parsed by {@link #parse}. */
    public static byte[] payloadBytes(byte[] json, ParsedDocument document) {
        if (!document.hasPayloadObject()) {
            throw new IllegalArgumentException("the document has no payload object");
        }
        return Arrays.copyOfRange(json, (int) document.payloadStart(), (int) document.payloadEnd());
    }

    /**
     * Builds the accepted submission from a document that passed every check (so every header
     * field has its agreed type and form).
     */
    public static Submission toSubmission(byte[] json, ParsedDocument document) {
        JsonNode root = document.root();
        SubmissionHeader header = new SubmissionHeader(
                root.path("messageType").asText(),
                root.path("schemaVersion").asText(),
                agency(root.path("sender")),
                agency(root.path("receiver")),
                root.path("legalBasis").asText(),
                root.path("purpose").asText(),
                root.hasNonNull("sensitivity") ? Sensitivity.valueOf(root.get("sensitivity").asText()) : null,
                root.path("language").asText(),
                root.hasNonNull("correlationId") ? root.get("correlationId").asText() : null,
                root.hasNonNull("priority") ? Priority.valueOf(root.get("priority").asText()) : null,
                root.hasNonNull("timeToLive") ? Duration.parse(root.get("timeToLive").asText()) : null);
        return new Submission(header, payloadBytes(json, document));
    }

    static AgencyRef agency(JsonNode node) {
        return new AgencyRef(Country.valueOf(node.path("country").asText()), node.path("agency").asText());
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, "content after the end of the document (line "
                    + parser.currentTokenLocation().getLineNr() + ")");
        }
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message == null ? -1 : message.indexOf('\n');
        String first = newline < 0 ? String.valueOf(message) : message.substring(0, newline);
        return e.getLocation() == null ? first
                : first + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** Refuses the UTF-16 and UTF-32 forms (a NUL among the first bytes, or a UTF-16 byte-order mark). */
    private static boolean looksLikeUtf8(byte[] json) {
        if (json.length >= 2 && ((json[0] == (byte) 0xFE && json[1] == (byte) 0xFF) || (json[0] == (byte) 0xFF && json[1] == (byte) 0xFE))) {
            return false;
        }
        for (int i = 0; i < Math.min(4, json.length); i++) {
            if (json[i] == 0) {
                return false;
            }
        }
        return true;
    }
}
