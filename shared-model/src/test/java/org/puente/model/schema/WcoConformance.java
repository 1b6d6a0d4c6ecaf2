package org.puente.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the WCO Data Model decisions out of a payload schema: every leaf field, as an instance path
 * ({@code shipments[].consignor.name}), with the WCO identifier it maps to or the mark that it is
 * Puente's own (docs/contract.md section 10 states the convention this class enforces).
 *
 * <p>The walk follows {@code properties} and {@code items} through {@code $ref} into {@code $defs},
 * merging every schema node that describes the same instance location: the property at its use
 * site, the definitions it refers to, and the annotation-only {@code properties} a use site may lay
 * next to its {@code $ref} to decide a field whose meaning depends on the role the shared
 * definition plays there (a party's name is the consignor's name, R020, or the consignee's, R014).
 * Conditional subschemas ({@code allOf}, {@code if}/{@code then}) are not walked: every object of the
 * contract is closed, so they can constrain declared fields but never declare one.
 */
final class WcoConformance {
    static final String WCO_ID = "x-wco-id";
    static final String WCO_NAME = "x-wco-name";
    static final String PUENTE_SPECIFIC = "x-puente-specific";
    /**
     * The form of a WCO Data Model data element identifier: three digits (016 UCR, 137 Description of
     * goods) or a class letter and three digits (R020 Consignor - name, T022 Mode of transport crossing
     * the border, coded). Class identifiers (30A Consignor) name groups, never a leaf field.
     */
    static final Pattern WCO_ID_FORM = Pattern.compile("^(?:[0-9]{3}|[A-Z][0-9]{3})$");

    private static final Set<String> MARKERS = Set.of(WCO_ID, WCO_NAME, PUENTE_SPECIFIC);
    /** Keywords that describe a node without declaring anything about the instance. */
    private static final Set<String> ANNOTATIONS_ONLY = Set.of(WCO_ID, WCO_NAME, PUENTE_SPECIFIC, "description", "title", "$comment");

    /** A schema node and where it sits in its document (an RFC 6901 pointer). */
    record Node(String pointer, JsonNode schema) {
    }

    /** A leaf field: an instance path and every schema node that describes it. */
    record Field(String path, List<Node> nodes) {
    }

    /** The decision for one leaf field; {@code wcoId} and {@code wcoName} are null for a Puente-specific field. */
    record Decision(String path, String wcoId, String wcoName) {
        boolean puenteSpecific() {
            return wcoId == null;
        }
    }

    private final JsonNode document;
    private final List<Field> leaves = new ArrayList<>();
    private final List<Node> containers = new ArrayList<>();
    private final Set<String> usedDefinitions = new LinkedHashSet<>();

    private WcoConformance(JsonNode document) {
        this.document = document;
        visit("", List.of(new Node("", document)));
    }

    /** Everything wrong with the schema's decisions, one sentence each; empty when it conforms. */
    static List<String> problems(JsonNode document) {
        return new WcoConformance(document).problems();
    }

    /**
     * The decision of every leaf field, in document order.
     *
     * @throws IllegalArgumentException when the schema has {@linkplain #problems problems}
     */
    static List<Decision> decisions(JsonNode document) {
        WcoConformance walk = new WcoConformance(document);
        List<String> problems = walk.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        List<Decision> decisions = new ArrayList<>();
        for (Field field : walk.leaves) {
            JsonNode marked = walk.markedNodes(field).get(0).schema();
            decisions.add(marked.has(WCO_ID)
                    ? new Decision(field.path(), marked.get(WCO_ID).asText(), marked.get(WCO_NAME).asText())
                    : new Decision(field.path(), null, null));
        }
        return decisions;
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        Set<String> decisionNodes = new LinkedHashSet<>();
        for (Field field : leaves) {
            String at = "'" + field.path() + "'";
            if (field.nodes().stream().allMatch(n -> onlyAnnotations(n.schema()))) {
                problems.add(at + " is decided but declared nowhere: the object has no such property");
            }
            List<Node> marked = markedNodes(field);
            marked.forEach(n -> decisionNodes.add(n.pointer()));
            if (marked.isEmpty()) {
                problems.add(at + " has no decision: give it \"" + WCO_ID + "\" and \"" + WCO_NAME + "\", or \""
                        + PUENTE_SPECIFIC + "\": true");
            } else if (marked.size() > 1) {
                problems.add(at + " is decided more than once, at " + marked.stream().map(Node::pointer).toList());
            } else {
                problems.addAll(checkDecision(at, marked.get(0)));
            }
        }
        for (Node container : containers) {
            if (hasMarker(container.schema())) {
                problems.add("'" + container.pointer() + "' is not a leaf field and cannot carry a decision");
                decisionNodes.add(container.pointer());
            }
        }
        List<String> stray = new ArrayList<>();
        collectMarked(document, "", stray);
        stray.removeAll(decisionNodes);
        stray.forEach(pointer -> problems.add("'" + pointer + "' carries a decision no field reaches"));
        Iterator<String> names = document.path("$defs").fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!usedDefinitions.contains(name)) {
                problems.add("'#/$defs/" + name + "' is used by no field, so its fields are never checked");
            }
        }
        return problems;
    }

    private static List<String> checkDecision(String at, Node node) {
        JsonNode schema = node.schema();
        List<String> problems = new ArrayList<>();
        if (schema.has(PUENTE_SPECIFIC)) {
            if (!schema.get(PUENTE_SPECIFIC).isBoolean() || !schema.get(PUENTE_SPECIFIC).booleanValue()) {
                problems.add(at + ": \"" + PUENTE_SPECIFIC + "\" must be true");
            }
            if (schema.has(WCO_ID) || schema.has(WCO_NAME)) {
                problems.add(at + " is both Puente-specific and mapped to the WCO Data Model");
            }
            return problems;
        }
        JsonNode id = schema.path(WCO_ID);
        if (!id.isTextual() || !WCO_ID_FORM.matcher(id.asText()).matches()) {
            problems.add(at + ": \"" + WCO_ID + "\" " + id + " is not a WCO Data Model data element identifier (three digits, or a capital and three digits)");
        }
        JsonNode name = schema.path(WCO_NAME);
        if (!name.isTextual() || name.asText().isBlank()) {
            problems.add(at + ": \"" + WCO_ID + "\" needs the WCO name in \"" + WCO_NAME + "\"");
        }
        return problems;
    }

    private void visit(String path, List<Node> nodes) {
        List<Node> expanded = expand(nodes);
        Map<String, List<Node>> properties = new LinkedHashMap<>();
        List<Node> items = new ArrayList<>();
        for (Node node : expanded) {
            node.schema().path("properties").fields().forEachRemaining(p -> properties
                    .computeIfAbsent(p.getKey(), k -> new ArrayList<>())
                    .add(new Node(node.pointer() + "/properties/" + escape(p.getKey()), p.getValue())));
            if (node.schema().has("items")) {
                items.add(new Node(node.pointer() + "/items", node.schema().get("items")));
            }
        }
        if (!properties.isEmpty()) {
            containers.addAll(expanded);
            properties.forEach((name, declared) -> visit(path.isEmpty() ? name : path + "." + name, declared));
        } else if (expand(items).stream().anyMatch(n -> n.schema().has("properties"))) {
            containers.addAll(expanded);
            visit(path + "[]", items);
        } else {
            leaves.add(new Field(path, expanded));
        }
    }

    /** The nodes and, for each, the chain of definitions its {@code $ref} leads to. */
    private List<Node> expand(List<Node> nodes) {
        Map<String, Node> expanded = new LinkedHashMap<>();
        for (Node node : nodes) {
            Node current = node;
            while (current != null && expanded.putIfAbsent(current.pointer(), current) == null) {
                current = target(current);
            }
        }
        return List.copyOf(expanded.values());
    }

    private Node target(Node node) {
        JsonNode ref = node.schema().get("$ref");
        if (ref == null) {
            return null;
        }
        String pointer = ref.asText();
        if (!pointer.startsWith("#/$defs/")) {
            throw new IllegalArgumentException(node.pointer() + ": only local $defs references are supported, not " + pointer);
        }
        String name = pointer.substring("#/$defs/".length());
        usedDefinitions.add(name);
        JsonNode definition = document.path("$defs").path(name);
        if (definition.isMissingNode()) {
            throw new IllegalArgumentException(node.pointer() + ": " + pointer + " does not exist");
        }
        return new Node(pointer.substring(1), definition);
    }

    private List<Node> markedNodes(Field field) {
        return field.nodes().stream().filter(n -> hasMarker(n.schema())).toList();
    }

    private static boolean hasMarker(JsonNode schema) {
        return MARKERS.stream().anyMatch(schema::has);
    }

    private static boolean onlyAnnotations(JsonNode schema) {
        Iterator<String> keywords = schema.fieldNames();
        while (keywords.hasNext()) {
            if (!ANNOTATIONS_ONLY.contains(keywords.next())) {
                return false;
            }
        }
        return true;
    }

    private static void collectMarked(JsonNode node, String pointer, List<String> marked) {
        if (node.isObject()) {
            if (hasMarker(node)) {
                marked.add(pointer);
            }
            node.fields().forEachRemaining(e -> collectMarked(e.getValue(), pointer + "/" + escape(e.getKey()), marked));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectMarked(node.get(i), pointer + "/" + i, marked);
            }
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
