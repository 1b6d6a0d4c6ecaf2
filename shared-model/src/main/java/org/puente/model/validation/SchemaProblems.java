package org.puente.model.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.puente.model.error.ErrorCode;

/**
 * Translates JSON Schema findings (networknt {@link ValidationMessage}s) into contract problems:
 * one error code per schema keyword, and a JSON pointer to the offending field (for
 * {@code required} and {@code additionalProperties}, the missing or unknown member itself).
 */
final class SchemaProblems {
    private SchemaProblems() {
    }

    /** The problems, ordered by pointer so that reports are stable, each pointer prefixed by {@code prefix}. */
    static List<Problem> map(Set<ValidationMessage> messages, String prefix) {
        List<Problem> result = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            result.add(map(m, prefix));
        }
        result.sort(Comparator.comparing(Problem::pointer));
        return result;
    }

    static Problem map(ValidationMessage m, String prefix) {
        String keyword = m.getType();
        String pointer = prefix + pointer(m.getInstanceLocation());
        JsonNode schemaValue = m.getSchemaNode();
        String limit = schemaValue == null ? "" : schemaValue.asText();
        return switch (keyword) {
            case "required" -> Problem.error(ErrorCode.REQUIRED_FIELD_MISSING, JsonPointers.child(pointer, m.getProperty()), m.getProperty());
            case "additionalProperties", "unevaluatedProperties" ->
                    Problem.error(ErrorCode.UNKNOWN_FIELD, JsonPointers.child(pointer, m.getProperty()), m.getProperty());
            case "type" -> Problem.error(ErrorCode.WRONG_TYPE, pointer, schemaValue == null ? "" : typeNames(schemaValue));
            case "pattern" -> Problem.error(ErrorCode.PATTERN_MISMATCH, pointer, limit);
            case "format" -> Problem.error(ErrorCode.INVALID_FORMAT, pointer, limit);
            case "enum" -> Problem.error(ErrorCode.VALUE_NOT_ALLOWED, pointer, enumValues(schemaValue));
            case "const" -> Problem.error(ErrorCode.VALUE_NOT_ALLOWED, pointer, limit);
            case "minLength" -> Problem.error(ErrorCode.TOO_SHORT, pointer, limit);
            case "maxLength" -> Problem.error(ErrorCode.TOO_LONG, pointer, limit);
            case "minimum", "exclusiveMinimum" -> Problem.error(ErrorCode.BELOW_MINIMUM, pointer, limit);
            case "maximum", "exclusiveMaximum" -> Problem.error(ErrorCode.ABOVE_MAXIMUM, pointer, limit);
            case "minItems" -> Problem.error(ErrorCode.TOO_FEW_ITEMS, pointer, limit);
            case "maxItems" -> Problem.error(ErrorCode.TOO_MANY_ITEMS, pointer, limit);
            case "uniqueItems" -> Problem.error(ErrorCode.DUPLICATE_ITEMS, pointer);
            default -> Problem.error(ErrorCode.SCHEMA_VIOLATION, pointer, keyword);
        };
    }

    /** RFC 6901 form of an instance location, built from its elements (so {@code /} and {@code ~} are escaped). */
    static String pointer(JsonNodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            sb.append('/').append(element instanceof Integer ? element.toString() : JsonPointers.escape(String.valueOf(element)));
        }
        return sb.toString();
    }

    private static String typeNames(JsonNode type) {
        if (!type.isArray()) {
            return type.asText();
        }
        List<String> names = new ArrayList<>();
        type.forEach(t -> names.add(t.asText()));
        return String.join(" | ", names);
    }

    private static String enumValues(JsonNode values) {
        if (values == null || !values.isArray()) {
            return "";
        }
        List<String> names = new ArrayList<>();
        values.forEach(v -> names.add(v.isTextual() ? v.asText() : v.toString()));
        return String.join(", ", names);
    }
}
