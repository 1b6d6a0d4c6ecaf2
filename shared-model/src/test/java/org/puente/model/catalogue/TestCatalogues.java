package org.puente.model.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Builds catalogues for tests by editing a copy of the built-in catalogue file. */
final class TestCatalogues {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Holds {@code schemas/cargo.manifest/1.1.schema.json}, a test-only second version. */
    static final Path TWO_VERSIONS = Path.of("src/test/resources/catalogues/two-versions");

    private TestCatalogues() {
    }

    static ObjectNode standardTree() {
        try (InputStream in = TestCatalogues.class.getClassLoader().getResourceAsStream("org/puente/model/catalogue.json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode type(ObjectNode catalogue, String name) {
        for (JsonNode t : catalogue.withArray("messageTypes")) {
            if (t.path("type").asText().equals(name)) {
                return (ObjectNode) t;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** Schemas from the test folder first, then from the class path. */
    static SchemaSource testSchemas() {
        SchemaSource folder = SchemaSource.directory(TWO_VERSIONS);
        SchemaSource classpath = SchemaSource.classpath(MessageCatalogue.BASE);
        return path -> folder.read(path).or(() -> classpath.read(path));
    }

    static MessageCatalogue load(Consumer<ObjectNode> edit) {
        ObjectNode tree = standardTree();
        edit.accept(tree);
        try {
            return MessageCatalogue.load(new ByteArrayInputStream(JSON.writeValueAsBytes(tree)), testSchemas());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in catalogue with cargo.manifest accepting 1.0 (deprecated) and 1.1 side by side. */
    static MessageCatalogue twoManifestVersions() {
        return load(c -> {
            ObjectNode manifest = type(c, "cargo.manifest");
            ((ObjectNode) manifest.withArray("schemaVersions").get(0)).put("deprecated", true);
            manifest.withArray("schemaVersions").addObject()
                    .put("version", "1.1").put("schema", "schemas/cargo.manifest/1.1.schema.json");
        });
    }
}
