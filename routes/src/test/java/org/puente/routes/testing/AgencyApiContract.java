package org.puente.routes.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.puente.model.CanonicalJson;

/**
 * The agency API's OpenAPI 3.1 document as a contract the gateway's real answers are checked
 * against: for an operation (method and path template) and the status an answer came with, the
 * JSON Schema the document declares for that answer (its {@code $ref}s resolved into
 * {@code components}), applied to the answer's body.
 *
 * <p>Implementation note: OpenAPI 3.1 schemas are JSON Schema 2020-12 (OAS base dialect), so the
 * validator the contract already uses for payloads (networknt, with the OpenAPI 3.1 dialect)
 * reads the document as it is; {@code format} is asserted ({@code uuid}, {@code date-time}). The
 * document leaves response objects open, as an API should for its clients (a client must ignore a
 * field it does not know). The gateway must not rely on that: here every object schema that lists
 * its properties and says nothing about others is closed ({@code additionalProperties: false}),
 * so a field renamed, added or misspelt in the code fails the test instead of passing as "extra".
 */
public final class AgencyApiContract {
    /** Where the build puts {@code docs/openapi/agency-api.json}: the document the gateway serves. */
    public static final String RESOURCE = "/org/puente/routes/api/agency-api.json";
    /** The document's identity for the validator: never fetched, served from memory. */
    private static final String BASE = "urn:puente:openapi:agency-api.json";
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER).formatAssertionsEnabled(true).failFast(false).build();

    private final JsonNode document;
    private final JsonSchemaFactory factory;

    private AgencyApiContract(JsonNode document) {
        this.document = document;
        String text = closed(document.deepCopy()).toString();
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b
                .metaSchema(OpenApi31.getInstance())
                .defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                .schemaLoaders(l -> l.schemas(Map.of(BASE, text))));
    }

    /** The contract of the document on the test class path (the one {@code GET /api/v1/openapi.json} serves). */
    public static AgencyApiContract load() {
        return of(resource());
    }

    /** The contract of a document given as bytes (a test may alter one to see the contract bite). */
    public static AgencyApiContract of(byte[] document) {
        try {
            return new AgencyApiContract(CanonicalJson.mapper().readTree(document));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document's bytes as the build copied them. */
    public static byte[] resource() {
        try (InputStream in = AgencyApiContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that {@code answer} to {@code method} {@code pathTemplate} (as written in the
     * document, e.g. {@code /api/v1/messages/{id}}) came with {@code status}, is JSON, and that its
     * body matches the schema the document declares for that status; returns the body for further
     * checks.
     */
    public JsonNode assertAnswers(String method, String pathTemplate, int status, HttpResponse<byte[]> answer) {
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        String what = method.toUpperCase(Locale.ROOT) + " " + pathTemplate + " -> " + answer.statusCode() + " " + body;
        assertThat(answer.statusCode()).as(what).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).as(what)
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(violations(method, pathTemplate, answer.statusCode(), answer.body())).as(what).isEmpty();
        try {
            return CanonicalJson.mapper().readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What is wrong with {@code body} as the answer {@code status} to {@code method}
     * {@code pathTemplate}: one line per schema violation, or a single line when the document
     * declares no such answer; empty when the body is what the document promises.
     */
    public List<String> violations(String method, String pathTemplate, int status, byte[] body) {
        String operation = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT);
        if (document.at(operation).isMissingNode()) {
            return List.of("the document has no operation " + method + " " + pathTemplate);
        }
        String response = operation + "/responses/" + status;
        JsonNode declared = document.at(response);
        if (declared.isMissingNode()) {
            return List.of("the document declares no answer " + status + " to " + method + " " + pathTemplate);
        }
        if (declared.has("$ref")) {
            response = declared.get("$ref").asText().substring(1);
        }
        String schemaPointer = response + "/content/" + escape("application/json") + "/schema";
        JsonNode schemaNode = document.at(schemaPointer);
        if (schemaNode.isMissingNode()) {
            return List.of("the document declares no JSON body for " + status + " to " + method + " " + pathTemplate);
        }
        String location = schemaNode.has("$ref") ? BASE + schemaNode.get("$ref").asText() : BASE + "#" + fragment(schemaPointer);
        JsonSchema schema = factory.getSchema(SchemaLocation.of(location), CONFIG);
        JsonNode instance;
        try {
            instance = CanonicalJson.mapper().readTree(body);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        return schema.validate(instance).stream().map(ValidationMessage::toString).sorted().toList();
    }

    /** Closes every object schema that lists its properties and does not say whether others may come. */
    private static JsonNode closed(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            if ("object".equals(object.path("type").asText()) && object.path("properties").isObject()
                    && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            for (Iterator<JsonNode> children = object.elements(); children.hasNext(); ) {
                closed(children.next());
            }
        } else if (node.isArray()) {
            node.forEach(AgencyApiContract::closed);
        }
        return node;
    }

    /** One JSON pointer reference token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment (RFC 6901, section 6). */
    private static String fragment(String pointer) {
        return pointer.replace("%", "%25").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20");
    }
}
