package org.puente.model.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Builds catalogues for tests by editing a copy of the built-in catalogue file. */
final class TestCatalogues {
    static final ObjectMapper JSON = new ObjectMapper();

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

    /** The built-in schemas. */
    static SchemaSource testSchemas() {
        return SchemaSource.classpath(MessageCatalogue.BASE);
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

    /**
     * A catalogue with cargo.manifest accepting 1.0 (deprecated) and 1.1 side by side: since issue
     * 17 the built-in one, loaded again from its file.
     */
    static MessageCatalogue twoManifestVersions() {
        return load(c -> { });
    }
}
