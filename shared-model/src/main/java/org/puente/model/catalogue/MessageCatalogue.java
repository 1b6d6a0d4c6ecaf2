package org.puente.model.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.puente.model.AgencyRef;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The bilateral message catalogue: which agencies take part, which legal bases and purposes exist,
 * and for each message type who may send it to whom and which schema versions are accepted.
 *
 * <p>It is data ({@code catalogue.json} next to this class), not code, so a new type or schema
 * version is a reviewed change of one file and one schema. A catalogue is checked for consistency
 * when it is loaded; an inconsistent one never starts a gateway. Instances are immutable and
 * thread-safe.
 */
public final class MessageCatalogue {
    /** Class-path folder of the built-in catalogue; schema resources are relative to it. */
    public static final String BASE = "org/puente/model/";
    static final String STANDARD_RESOURCE = BASE + "catalogue.json";

    private final String version;
    private final Map<AgencyRef, Agency> agencies;
    private final Map<String, LegalBasis> legalBases;
    private final Map<String, Purpose> purposes;
    private final Map<String, MessageTypeDefinition> types;
    private final Map<String, JsonNode> schemaDocuments;

    MessageCatalogue(String version, Map<AgencyRef, Agency> agencies, Map<String, LegalBasis> legalBases,
                     Map<String, Purpose> purposes, Map<String, MessageTypeDefinition> types,
                     Map<String, JsonNode> schemaDocuments) {
        this.version = version;
        this.agencies = Collections.unmodifiableMap(new LinkedHashMap<>(agencies));
        this.legalBases = Collections.unmodifiableMap(new LinkedHashMap<>(legalBases));
        this.purposes = Collections.unmodifiableMap(new LinkedHashMap<>(purposes));
        this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        this.schemaDocuments = Map.copyOf(schemaDocuments);
    }

    private static final class Standard {
        static final MessageCatalogue INSTANCE = loadStandard();

        private static MessageCatalogue loadStandard() {
            try (InputStream in = MessageCatalogue.class.getClassLoader().getResourceAsStream(STANDARD_RESOURCE)) {
                if (in == null) {
                    throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "catalogue resource missing: " + STANDARD_RESOURCE);
                }
                return load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The built-in catalogue agreed by both administrations (loaded once). */
    public static MessageCatalogue standard() {
        return Standard.INSTANCE;
    }

    /** Loads a catalogue whose schema resources live on the class path under {@link #BASE}. */
    public static MessageCatalogue load(InputStream json) {
        return load(json, SchemaSource.classpath(BASE));
    }

    /**
     * Loads and checks a catalogue.
     *
     * @throws PuenteException {@code configuration_invalid} naming every inconsistency found
     */
    public static MessageCatalogue load(InputStream json, SchemaSource schemas) {
        try {
            return new CatalogueLoader(schemas).load(json.readAllBytes());
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "catalogue cannot be read: " + e.getMessage());
        }
    }

    /** Loads a catalogue file whose schema resources are relative to the file's folder. */
    public static MessageCatalogue load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Path dir = file.toAbsolutePath().getParent();
            return load(in, SchemaSource.directory(dir));
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "catalogue cannot be read: " + file);
        }
    }

    /** The catalogue's own version label, e.g. {@code 2026.1}. */
    public String version() {
        return version;
    }

    public Optional<MessageTypeDefinition> type(String type) {
        return Optional.ofNullable(type == null ? null : types.get(type));
    }

    /** Every message type, in catalogue order. */
    public List<MessageTypeDefinition> types() {
        return List.copyOf(types.values());
    }

    public List<Agency> agencies() {
        return List.copyOf(agencies.values());
    }

    public Optional<Agency> agency(AgencyRef ref) {
        return Optional.ofNullable(ref == null ? null : agencies.get(ref));
    }

    public List<LegalBasis> legalBases() {
        return List.copyOf(legalBases.values());
    }

    public Optional<LegalBasis> legalBasis(String id) {
        return Optional.ofNullable(id == null ? null : legalBases.get(id));
    }

    public List<Purpose> purposes() {
        return List.copyOf(purposes.values());
    }

    public Optional<Purpose> purpose(String id) {
        return Optional.ofNullable(id == null ? null : purposes.get(id));
    }

    /** Whether {@code from} may send messages of {@code type} to {@code to}. */
    public boolean mayRoute(String type, AgencyRef from, AgencyRef to) {
        return type(type).map(t -> t.mayRoute(from, to)).orElse(false);
    }

    /** Every type {@code from} may send to {@code to}. */
    public List<MessageTypeDefinition> typesRoutable(AgencyRef from, AgencyRef to) {
        List<MessageTypeDefinition> result = new ArrayList<>();
        for (MessageTypeDefinition t : types.values()) {
            if (t.mayRoute(from, to)) {
                result.add(t);
            }
        }
        return List.copyOf(result);
    }

    public Optional<SchemaVersion> schemaFor(String type, String version) {
        return type(type).flatMap(t -> t.schemaVersion(version));
    }

    /** A copy of the JSON Schema document of that type and version, as loaded and checked with the catalogue. */
    public Optional<JsonNode> schemaDocument(String type, String version) {
        JsonNode doc = schemaDocuments.get(schemaKey(type, version));
        return Optional.ofNullable(doc == null ? null : doc.deepCopy());
    }

    static String schemaKey(String type, String version) {
        return type + "@" + version;
    }

    @Override
    public String toString() {
        return "MessageCatalogue[" + version + ", " + types.size() + " types, " + agencies.size() + " agencies]";
    }

    /** Jackson mapper used to read catalogues and schemas (strict: duplicate keys refused). */
    static com.fasterxml.jackson.databind.ObjectMapper mapper() {
        return CanonicalJson.mapper();
    }
}
