package org.puente.model.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.puente.model.AgencyRef;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.model.schema.SchemaCompiler;

/**
 * Reads a catalogue file, checks its structure against {@code schemas/catalogue.schema.json} and its
 * consistency (agencies, routes, references, time-to-live bounds, schema files), and builds the
 * immutable {@link MessageCatalogue}. Every problem found is reported at once.
 */
final class CatalogueLoader {
    private static final String FORMAT_SCHEMA = MessageCatalogue.BASE + "schemas/catalogue.schema.json";
    private static final JsonSchema FORMAT = compileFormat();

    private final SchemaSource schemas;
    private final List<String> problems = new ArrayList<>();

    CatalogueLoader(SchemaSource schemas) {
        this.schemas = schemas;
    }

    private static JsonSchema compileFormat() {
        try (InputStream in = CatalogueLoader.class.getClassLoader().getResourceAsStream(FORMAT_SCHEMA)) {
            if (in == null) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "resource missing: " + FORMAT_SCHEMA);
            }
            return SchemaCompiler.compile(MessageCatalogue.mapper().readTree(in), "catalogue.schema.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MessageCatalogue load(byte[] json) {
        JsonNode root;
        try {
            root = MessageCatalogue.mapper().readTree(json);
        } catch (IOException e) {
            throw invalid(List.of("not well-formed JSON: " + String.valueOf(e.getMessage()).split("\n")[0]));
        }
        if (root == null || root.isMissingNode()) {
            throw invalid(List.of("empty document"));
        }
        for (ValidationMessage m : FORMAT.validate(root)) {
            problems.add(m.getMessage());
        }
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        Map<AgencyRef, Agency> agencies = readAgencies(root.path("agencies"));
        Map<String, LegalBasis> legalBases = readLegalBases(root.path("legalBases"));
        Map<String, Purpose> purposes = readPurposes(root.path("purposes"));
        Map<String, MessageTypeDefinition> types = new LinkedHashMap<>();
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        for (JsonNode node : root.path("messageTypes")) {
            MessageTypeDefinition type = readType(node, agencies, legalBases, purposes, documents);
            if (types.putIfAbsent(type.type(), type) != null) {
                problems.add(type.type() + ": message type listed twice");
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return new MessageCatalogue(root.path("catalogueVersion").asText(), agencies,
                legalBases, purposes, types, documents);
    }

    private static PuenteException invalid(List<String> found) {
        return new PuenteException(ErrorCode.CONFIGURATION_INVALID, "catalogue: " + String.join("; ", found));
    }

    private static LocalizedText text(JsonNode node) {
        return new LocalizedText(node.path("en").asText(), node.path("es").asText());
    }

    private Map<AgencyRef, Agency> readAgencies(JsonNode list) {
        Map<AgencyRef, Agency> result = new LinkedHashMap<>();
        for (JsonNode n : list) {
            AgencyRef ref = AgencyRef.parse(n.path("country").asText() + "/" + n.path("agency").asText());
            if (result.putIfAbsent(ref, new Agency(ref, text(n.path("name")))) != null) {
                problems.add("agency " + ref + " listed twice");
            }
        }
        return result;
    }

    private Map<String, LegalBasis> readLegalBases(JsonNode list) {
        Map<String, LegalBasis> result = new LinkedHashMap<>();
        for (JsonNode n : list) {
            LegalBasis basis = new LegalBasis(n.path("id").asText(), text(n.path("title")),
                    LocalDate.parse(n.path("signed").asText()), n.hasNonNull("place") ? n.get("place").asText() : null,
                    n.path("binding").asBoolean());
            if (result.putIfAbsent(basis.id(), basis) != null) {
                problems.add("legal basis " + basis.id() + " listed twice");
            }
        }
        return result;
    }

    private Map<String, Purpose> readPurposes(JsonNode list) {
        Map<String, Purpose> result = new LinkedHashMap<>();
        for (JsonNode n : list) {
            Purpose purpose = new Purpose(n.path("id").asText(), text(n.path("title")));
            if (result.putIfAbsent(purpose.id(), purpose) != null) {
                problems.add("purpose " + purpose.id() + " listed twice");
            }
        }
        return result;
    }

    private MessageTypeDefinition readType(JsonNode n, Map<AgencyRef, Agency> agencies, Map<String, LegalBasis> legalBases,
                                           Map<String, Purpose> purposes, Map<String, JsonNode> documents) {
        String type = n.path("type").asText();
        List<RouteRule> routes = new ArrayList<>();
        for (JsonNode r : n.path("routes")) {
            RouteRule route = new RouteRule(AgencyRef.parse(r.path("from").asText()), AgencyRef.parse(r.path("to").asText()));
            checkRoute(type, route, agencies);
            if (routes.contains(route)) {
                problems.add(type + ": route " + route + " listed twice");
            }
            routes.add(route);
        }
        List<String> bases = strings(n.path("legalBases"));
        bases.stream().filter(b -> !legalBases.containsKey(b))
                .forEach(b -> problems.add(type + ": unknown legal basis " + b));
        List<String> purposeIds = strings(n.path("purposes"));
        purposeIds.stream().filter(p -> !purposes.containsKey(p))
                .forEach(p -> problems.add(type + ": unknown purpose " + p));
        Duration defaultTtl = Duration.parse(n.path("defaultTimeToLive").asText());
        Duration maxTtl = Duration.parse(n.path("maxTimeToLive").asText());
        if (defaultTtl.isZero() || maxTtl.isZero()) {
            problems.add(type + ": time-to-live must be positive");
        }
        if (defaultTtl.compareTo(maxTtl) > 0) {
            problems.add(type + ": default time-to-live " + defaultTtl + " is above the maximum " + maxTtl);
        }
        List<SchemaVersion> versions = new ArrayList<>();
        for (JsonNode v : n.path("schemaVersions")) {
            SchemaVersion version = new SchemaVersion(v.path("version").asText(), v.path("schema").asText(),
                    v.path("deprecated").asBoolean(false));
            if (versions.stream().anyMatch(x -> x.version().equals(version.version()))) {
                problems.add(type + ": schema version " + version.version() + " listed twice");
            }
            readSchema(type, version).ifPresent(doc -> documents.put(MessageCatalogue.schemaKey(type, version.version()), doc));
            versions.add(version);
        }
        return new MessageTypeDefinition(type, text(n.path("description")), routes, bases, purposeIds,
                Sensitivity.valueOf(n.path("sensitivity").asText()), defaultTtl, maxTtl,
                Priority.valueOf(n.path("defaultPriority").asText()), versions);
    }

    private void checkRoute(String type, RouteRule route, Map<AgencyRef, Agency> agencies) {
        if (!agencies.containsKey(route.from())) {
            problems.add(type + ": route " + route + " names unknown agency " + route.from());
        }
        if (!agencies.containsKey(route.to())) {
            problems.add(type + ": route " + route + " names unknown agency " + route.to());
        }
        if (route.from().country() == route.to().country()) {
            problems.add(type + ": route " + route + " does not cross the border (both agencies are in "
                    + route.from().country() + ")");
        }
    }

    private Optional<JsonNode> readSchema(String type, SchemaVersion version) {
        String expected = "schemas/" + type + "/" + version.version() + ".schema.json";
        if (!expected.equals(version.resource())) {
            problems.add(type + " " + version.version() + ": schema resource must be named " + expected
                    + ", not " + version.resource());
        }
        Optional<byte[]> bytes = schemas.read(version.resource());
        if (bytes.isEmpty()) {
            problems.add(type + " " + version.version() + ": schema resource " + version.resource() + " is missing");
            return Optional.empty();
        }
        try {
            JsonNode doc = MessageCatalogue.mapper().readTree(bytes.get());
            if (!SchemaCompiler.DRAFT_2020_12.equals(doc.path("$schema").asText())) {
                problems.add(type + " " + version.version() + ": schema " + version.resource()
                        + " does not declare draft 2020-12 in \"$schema\"");
            }
            return Optional.of(doc);
        } catch (IOException e) {
            problems.add(type + " " + version.version() + ": schema " + version.resource() + " is not well-formed JSON");
            return Optional.empty();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(x -> result.add(x.asText()));
        return result;
    }
}
