package org.puente.model.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.DisallowUnknownKeywordFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.puente.model.CanonicalJson;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.catalogue.MessageTypeDefinition;
import org.puente.model.catalogue.SchemaVersion;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The dialect the contract's schemas are compiled with knows every keyword they use, including the
 * WCO conformance annotations: a gateway never logs "Unknown keyword" for them, and they validate nothing.
 */
class SchemaCompilerTest {
    /** Refuses any keyword its meta-schema lacks, where the production factory would only warn. */
    private static final JsonSchemaFactory STRICT = SchemaCompiler.factory(DisallowUnknownKeywordFactory.getInstance());

    @Test
    void every_contract_schema_uses_only_keywords_the_dialect_knows() {
        List<String> compiled = new ArrayList<>();
        MessageCatalogue catalogue = MessageCatalogue.standard();
        for (MessageTypeDefinition type : catalogue.types()) {
            for (SchemaVersion version : type.schemaVersions()) {
                JsonNode document = catalogue.schemaDocument(type.type(), version.version()).orElseThrow();
                SchemaCompiler.compile(STRICT, document, version.resource());
                compiled.add(version.resource());
            }
        }
        for (String shared : List.of("schemas/submission.schema.json", "schemas/catalogue.schema.json")) {
            SchemaCompiler.compile(STRICT, resource(shared), shared);
            compiled.add(shared);
        }
        assertThat(compiled).hasSize(13).contains("schemas/cargo.manifest/1.1.schema.json");
    }

    @Test
    void the_strict_check_does_refuse_a_keyword_outside_the_dialect() {
        JsonNode misspelt = json("{\"$schema\": \"" + SchemaCompiler.DRAFT_2020_12 + "\", \"type\": \"string\","
                + " \"x-wco-identifier\": \"016\"}");

        assertThatThrownBy(() -> SchemaCompiler.compile(STRICT, misspelt, "misspelt.schema.json"))
                .isInstanceOfSatisfying(PuenteException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID))
                .hasMessageContaining("x-wco-identifier");
    }

    @Test
    void conformance_annotations_validate_nothing() {
        JsonSchema annotated = SchemaCompiler.compile(json("{\"$schema\": \"" + SchemaCompiler.DRAFT_2020_12 + "\","
                + " \"type\": \"object\", \"additionalProperties\": false,"
                + " \"properties\": {\"ucr\": {\"type\": \"string\", \"x-wco-id\": \"016\", \"x-wco-name\": \"UCR\"},"
                + " \"note\": {\"type\": \"string\", \"x-puente-specific\": true}}}"), "annotated.schema.json");

        assertThat(annotated.validate(json("{\"ucr\": \"X\", \"note\": \"n\"}"))).isEmpty();
        assertThat(annotated.validate(json("{\"ucr\": 7}"))).hasSize(1);
    }

    private static JsonNode resource(String path) {
        try (InputStream in = SchemaCompilerTest.class.getClassLoader().getResourceAsStream(MessageCatalogue.BASE + path)) {
            assertThat(in).as(path).isNotNull();
            return CanonicalJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return CanonicalJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
