package org.puente.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.KeywordFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.util.List;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Compiles the contract's JSON Schemas (draft 2020-12) with the settings both gateways must share.
 *
 * <p>Implementation note: in draft 2020-12 {@code format} is an annotation unless the validator is
 * told to assert it; the contract relies on {@code date}, {@code date-time} and {@code uuid} being
 * checked, so format assertions are switched on here, once. Instance locations are JSON pointers
 * (RFC 6901), the form every problem report uses. Schemas are self-contained (local {@code $defs}
 * only), so nothing is ever fetched from the network while compiling.
 *
 * <p>The payload schemas carry the WCO Data Model conformance keywords ({@link #ANNOTATION_KEYWORDS},
 * docs/contract.md section 10). They are registered here as annotation keywords of the 2020-12
 * dialect: they never validate anything, and the validator does not log each of them as an
 * "Unknown keyword" (which it does, once per keyword, for any keyword its meta-schema lacks).
 */
public final class SchemaCompiler {
    /** The only dialect the contract accepts. */
    public static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    /**
     * Keywords of our own that a contract schema may carry: the WCO Data Model identifier and name
     * of a field, or the mark of a field that is Puente's own. Annotations only.
     */
    public static final List<String> ANNOTATION_KEYWORDS = List.of("x-wco-id", "x-wco-name", "x-puente-specific");

    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(true)
            .failFast(false)
            .build();
    private static final JsonSchemaFactory FACTORY = factory(null);

    private SchemaCompiler() {
    }

    /**
     * Compiles a schema document eagerly (so a broken schema fails at start-up, not at the first message).
     *
     * @param document the schema
     * @param name     where it came from, for error messages
     * @throws PuenteException {@code configuration_invalid} when the document is not a usable 2020-12 schema
     */
    public static JsonSchema compile(JsonNode document, String name) {
        return compile(FACTORY, document, name);
    }

    /**
     * The 2020-12 factory with the contract's annotation keywords in its meta-schema.
     *
     * @param unknownKeywords what to do with any other unknown keyword; {@code null} for the
     *                        validator's default (an annotation, with a warning logged)
     */
    static JsonSchemaFactory factory(KeywordFactory unknownKeywords) {
        JsonMetaSchema.Builder dialect = JsonMetaSchema.builder(JsonMetaSchema.getV202012());
        ANNOTATION_KEYWORDS.forEach(keyword -> dialect.keyword(new AnnotationKeyword(keyword)));
        if (unknownKeywords != null) {
            dialect.unknownKeywordFactory(unknownKeywords);
        }
        JsonMetaSchema metaSchema = dialect.build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder.metaSchema(metaSchema));
    }

    static JsonSchema compile(JsonSchemaFactory factory, JsonNode document, String name) {
        JsonNode dialect = document.path("$schema");
        if (!DRAFT_2020_12.equals(dialect.asText())) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    name + ": \"$schema\" must be " + DRAFT_2020_12 + " (draft 2020-12)");
        }
        try {
            JsonSchema schema = factory.getSchema(SchemaLocation.of("urn:puente:schema:" + name.replaceAll("[^A-Za-z0-9._-]", "_")),
                    document, CONFIG);
            schema.initializeValidators();
            return schema;
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, name + ": not a valid JSON Schema: " + e.getMessage());
        }
    }
}
