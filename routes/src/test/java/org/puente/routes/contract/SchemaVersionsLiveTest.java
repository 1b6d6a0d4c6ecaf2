package org.puente.routes.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.CanonicalJson;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;

/**
 * Issue 17, point 4: two schema versions of {@code cargo.manifest} live in the gateways. 1.1 (the
 * in-bond number or tránsito reference of the onward movement) and the deprecated 1.0 travel both
 * ways; a 1.0 submission is accepted with a {@code schema_version_deprecated} warning naming 1.1.
 * A gateway whose catalogue (configuration, {@code puente.catalogue.file}) does not have 1.1 —
 * its administration has not agreed to it — refuses a 1.1 message with a signed
 * {@code unsupported_schema_version}, which the sender's status history shows.
 */
class SchemaVersionsLiveTest {
    private static final String IN_BOND = "V23041182";

    @TempDir
    Path dir;

    @Test
    void both_versions_travel_both_ways_and_the_deprecated_one_is_accepted_with_a_warning() {
        try (GatewayPair pair = GatewayPair.start(dir)) {
            AgencyClient cbp = pair.agencyClient(pair.us, "agency-cbp");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");

            HttpResponse<byte[]> southV11 = cbp.post("/api/v1/messages", manifest("cargo.manifest.us-to-mx.json", "1.1"));
            HttpResponse<byte[]> northV11 = anam.post("/api/v1/messages", manifest("cargo.manifest.mx-to-us.json", "1.1"));
            HttpResponse<byte[]> southV10 = cbp.post("/api/v1/messages", manifest("cargo.manifest.us-to-mx.json", "1.0"));
            HttpResponse<byte[]> northV10 = anam.post("/api/v1/messages", manifest("cargo.manifest.mx-to-us.json", "1.0"));

            for (HttpResponse<byte[]> r : java.util.List.of(southV11, northV11, southV10, northV10)) {
                assertThat(r.statusCode()).as(text(r)).isEqualTo(202);
            }
            assertThat(json(southV11).has("warnings")).isFalse();
            JsonNode warning = json(southV10).get("warnings").get(0);
            assertThat(warning.get("code").asText()).isEqualTo("schema_version_deprecated");
            assertThat(warning.get("severity").asText()).isEqualTo("WARNING");
            assertThat(warning.get("pointer").asText()).isEqualTo("/schemaVersion");
            assertThat(warning.get("message").asText()).contains("1.1");
            assertThat(json(northV10).get("warnings").get(0).get("code").asText()).isEqualTo("schema_version_deprecated");

            assertThat(received(anam, id(southV11))).contains(IN_BOND);
            assertThat(received(cbp, id(northV11))).contains(IN_BOND);
            assertThat(received(anam, id(southV10))).doesNotContain(IN_BOND);
            assertThat(received(cbp, id(northV10))).doesNotContain(IN_BOND);
            assertThat(inboxVersion(anam, id(southV11))).isEqualTo("1.1");
            assertThat(inboxVersion(anam, id(southV10))).isEqualTo("1.0");
        }
    }

    @Test
    void a_gateway_whose_catalogue_lacks_the_version_refuses_it_with_a_signed_unsupported_schema_version() throws Exception {
        Path catalogue = catalogueWithout("cargo.manifest", "1.1", dir.resolve("mx-catalogue"));
        try (GatewayPair pair = GatewayPair.start(dir, Map.of(), Map.of("puente.catalogue.file", catalogue.toString()))) {
            AgencyClient cbp = pair.agencyClient(pair.us, "agency-cbp");
            AgencyClient anam = pair.agencyClient(pair.mx, "agency-anam");

            // MX's own agencies cannot submit 1.1 either
            HttpResponse<byte[]> refusedAtMx = anam.post("/api/v1/messages", manifest("cargo.manifest.mx-to-us.json", "1.1"));
            assertThat(refusedAtMx.statusCode()).isEqualTo(400);
            assertThat(json(refusedAtMx).get("problems").get(0).get("code").asText()).isEqualTo("unsupported_schema_version");

            HttpResponse<byte[]> v11 = cbp.post("/api/v1/messages", manifest("cargo.manifest.us-to-mx.json", "1.1"));
            HttpResponse<byte[]> v10 = cbp.post("/api/v1/messages", manifest("cargo.manifest.us-to-mx.json", "1.0"));
            assertThat(v11.statusCode()).as(text(v11)).isEqualTo(202);

            Optional<JsonNode> failed = Poll.until(Duration.ofSeconds(30), () -> Optional.of(
                    json(cbp.get("/api/v1/messages/" + id(v11)))).filter(s -> "FAILED".equals(s.get("state").asText())));
            assertThat(failed).isPresent();
            assertThat(failed.get().get("history").findValuesAsText("errorCode")).contains("unsupported_schema_version");
            assertThat(received(anam, id(v10))).doesNotContain(IN_BOND);
            assertThat(json(anam.get("/api/v1/inbox?limit=100")).get("messages").findValuesAsText("messageId"))
                    .doesNotContain(id(v11));
        }
    }

    /** The sample manifest under {@code version}; 1.1 adds the in-bond number of the onward movement. */
    private static byte[] manifest(String sample, String version) {
        try {
            ObjectNode doc = (ObjectNode) CanonicalJson.mapper().readTree(SampleMessages.named(sample).orElseThrow().bytes());
            doc.put("schemaVersion", version);
            if (version.equals("1.1")) {
                ((ObjectNode) doc.get("payload")).put("inBondMovementId", IN_BOND);
            }
            return CanonicalJson.mapper().writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in catalogue with one schema version taken out, written with its schemas to {@code folder}. */
    static Path catalogueWithout(String type, String version, Path folder) throws IOException {
        ObjectNode catalogue = (ObjectNode) CanonicalJson.mapper().readTree(resource("catalogue.json"));
        for (JsonNode t : catalogue.get("messageTypes")) {
            ArrayNode versions = (ArrayNode) t.get("schemaVersions");
            for (int i = versions.size() - 1; i >= 0; i--) {
                if (t.get("type").asText().equals(type) && versions.get(i).get("version").asText().equals(version)) {
                    versions.remove(i);
                } else {
                    copy(versions.get(i).get("schema").asText(), folder);
                }
            }
            if (t.get("type").asText().equals(type)) {
                versions.forEach(v -> ((ObjectNode) v).put("deprecated", false));
            }
        }
        for (String shared : java.util.List.of("schemas/catalogue.schema.json", "schemas/submission.schema.json")) {
            copy(shared, folder);
        }
        Path file = folder.resolve("catalogue.json");
        Files.write(file, CanonicalJson.mapper().writeValueAsBytes(catalogue));
        assertThat(MessageCatalogue.load(file).schemaFor(type, version)).isEmpty();
        return file;
    }

    private static void copy(String path, Path folder) {
        try {
            Path target = folder.resolve(path);
            Files.createDirectories(target.getParent());
            Files.write(target, resource(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = MessageCatalogue.class.getClassLoader().getResourceAsStream(MessageCatalogue.BASE + path)) {
            if (in == null) {
                throw new IOException("no resource " + path);
            }
            return in.readAllBytes();
        }
    }

    private static String received(AgencyClient agency, String id) {
        Optional<HttpResponse<byte[]>> r = Poll.until(Duration.ofSeconds(30), () -> Optional.of(
                agency.get("/api/v1/inbox/" + id + "/payload")).filter(x -> x.statusCode() == 200));
        assertThat(r).as("message " + id + " delivered").isPresent();
        return text(r.get());
    }

    private static String inboxVersion(AgencyClient agency, String id) {
        return json(agency.get("/api/v1/inbox/" + id)).findValue("schemaVersion").asText();
    }

    private static String id(HttpResponse<byte[]> accepted) {
        return json(accepted).get("messageId").asText();
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return CanonicalJson.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
