package org.puente.routes.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The agency API's OpenAPI document, as the gateway serves it (the build copies
 * {@code docs/openapi/agency-api.json} into the jar), read by the reference OpenAPI parser the way
 * an agency's code generator reads it: an OpenAPI 3.1 document with no error and no warning, whose
 * mutual TLS security scheme (an OpenAPI 3.1 type) is understood as such.
 */
class AgencyApiDocumentTest {
    /** Where the build puts the checked-in document, and where {@code GET /api/v1/openapi.json} reads it. */
    static final String RESOURCE = "/org/puente/routes/api/agency-api.json";

    static String document() {
        try (InputStream in = AgencyApiDocumentTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE + " on the class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void the_served_agency_api_document_parses_as_openapi_3_1_without_a_single_message() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);

        SwaggerParseResult result = new OpenAPIParser().readContents(document(), null, options);

        assertThat(result.getMessages()).as("the parser's errors and warnings").isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api).isNotNull();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(api.getComponents().getSecuritySchemes().get("mutualTLS").getType())
                .isEqualTo(SecurityScheme.Type.MUTUALTLS);
        assertThat(api.getSecurity()).singleElement().satisfies(r -> assertThat(r).containsOnlyKeys("mutualTLS"));
    }
}
