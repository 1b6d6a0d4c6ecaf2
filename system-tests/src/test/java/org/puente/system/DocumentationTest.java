package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.puente.cli.demo.LocalExchange;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.routes.api.AgencyApi;

/** The documents agencies integrate against say what the code does: they fail the build when they drift. */
class DocumentationTest {

    @Test
    void every_error_code_is_documented_in_the_api_guide() throws Exception {
        String api = Files.readString(LocalExchange.home().resolve("docs/api.md"));
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(api).as(code.code()).contains("`" + code.code() + "` | " + code.httpStatus() + " | " + code.category());
        }
    }

    @Test
    void every_agency_operation_is_in_the_openapi_document_with_its_path_and_method() throws Exception {
        JsonNode doc = CanonicalJson.mapper().readTree(Files.readAllBytes(LocalExchange.home().resolve("docs/openapi/agency-api.json")));
        String base = AgencyApi.class.getAnnotation(Path.class).value();
        Method[] operations = AgencyApi.class.getDeclaredMethods();
        assertThat(operations).isNotEmpty();
        for (Method m : operations) {
            String path = base + m.getAnnotation(Path.class).value();
            String method = m.isAnnotationPresent(GET.class) ? "get" : m.isAnnotationPresent(POST.class) ? "post" : "?";
            JsonNode op = doc.path("paths").path(path).path(method);
            assertThat(op.isMissingNode()).as(method + " " + path).isFalse();
            assertThat(op.path("operationId").asText()).as(path).isEqualTo(m.getName());
        }
        long documented = 0;
        for (JsonNode p : doc.path("paths")) {
            documented += Arrays.stream(new String[] {"get", "post", "put", "delete"}).filter(p::has).count();
        }
        assertThat(documented).isEqualTo(operations.length);
    }

    @Test
    void every_link_of_the_readme_and_the_documents_leads_to_a_file_that_exists() throws Exception {
        java.nio.file.Path home = LocalExchange.home();
        java.util.List<java.nio.file.Path> documents = new java.util.ArrayList<>(java.util.List.of(home.resolve("README.md")));
        try (var docs = Files.list(home.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(documents::add);
        }
        java.util.regex.Pattern link = java.util.regex.Pattern.compile("\\]\\(([^)\\s]+)\\)");
        int checked = 0;
        for (java.nio.file.Path doc : documents) {
            java.util.regex.Matcher m = link.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http") || target.startsWith("#") || target.startsWith("mailto:")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                assertThat(doc.getParent().resolve(file).normalize()).as(doc.getFileName() + " links to " + target).exists();
                checked++;
            }
        }
        assertThat(checked).as("links checked").isGreaterThan(10);
    }
}
