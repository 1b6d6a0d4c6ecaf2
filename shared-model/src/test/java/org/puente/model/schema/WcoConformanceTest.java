package org.puente.model.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.puente.model.CanonicalJson;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.catalogue.MessageTypeDefinition;
import org.puente.model.catalogue.SchemaVersion;
import org.puente.model.schema.WcoConformance.Decision;

/**
 * Every field of every payload schema says whether it is a WCO Data Model element (and which) or
 * Puente's own: a new field without a decision fails the build (docs/contract.md section 10).
 */
class WcoConformanceTest {
    private final MessageCatalogue catalogue = MessageCatalogue.standard();

    @Test
    void every_leaf_field_of_every_payload_schema_carries_exactly_one_decision() {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        int schemas = 0;
        for (MessageTypeDefinition type : catalogue.types()) {
            for (SchemaVersion version : type.schemaVersions()) {
                schemas++;
                List<String> found = WcoConformance.problems(schema(type, version));
                if (!found.isEmpty()) {
                    problems.put(version.resource(), found);
                }
            }
        }
        assertThat(schemas).isEqualTo(11);
        assertThat(problems).as("fields without a single, well-formed WCO decision").isEmpty();
    }

    @Test
    void every_wco_identifier_has_the_form_of_a_wco_data_model_identifier() {
        List<Decision> mapped = new ArrayList<>();
        for (MessageTypeDefinition type : catalogue.types()) {
            for (SchemaVersion version : type.schemaVersions()) {
                WcoConformance.decisions(schema(type, version)).stream().filter(d -> !d.puenteSpecific()).forEach(mapped::add);
            }
        }
        assertThat(mapped).isNotEmpty().allSatisfy(d -> {
            assertThat(d.wcoId()).as(d.path()).matches(WcoConformance.WCO_ID_FORM);
            assertThat(d.wcoName()).as(d.path()).isNotBlank().doesNotContain("|");
        });
    }

    @Test
    void a_shared_definition_takes_its_wco_meaning_from_the_role_it_is_used_in() {
        JsonNode schema = json("""
                {"type": "object", "additionalProperties": false,
                 "properties": {
                   "consignor": {"$ref": "#/$defs/party", "properties": {"name": {"x-wco-id": "R020", "x-wco-name": "Consignor - name"}}},
                   "consignee": {"$ref": "#/$defs/party", "properties": {"name": {"x-wco-id": "R014", "x-wco-name": "Consignee name"}}},
                   "seals": {"type": "array", "items": {"$ref": "#/$defs/seal"}, "x-wco-id": "165", "x-wco-name": "Seal number"}},
                 "$defs": {
                   "party": {"type": "object", "additionalProperties": false, "properties": {
                     "name": {"type": "string"},
                     "note": {"type": "string", "x-puente-specific": true}}},
                   "seal": {"type": "string"}}}""");

        assertThat(WcoConformance.problems(schema)).isEmpty();
        assertThat(WcoConformance.decisions(schema)).containsExactly(
                new Decision("consignor.name", "R020", "Consignor - name"),
                new Decision("consignor.note", null, null),
                new Decision("consignee.name", "R014", "Consignee name"),
                new Decision("consignee.note", null, null),
                new Decision("seals", "165", "Seal number"));
    }

    @Test
    void a_field_without_a_decision_or_with_a_malformed_one_is_reported() {
        JsonNode schema = json("""
                {"type": "object", "additionalProperties": false,
                 "properties": {
                   "undecided": {"type": "string"},
                   "twice": {"$ref": "#/$defs/code", "x-puente-specific": true},
                   "lowercase": {"type": "string", "x-wco-id": "r020", "x-wco-name": "Consignor - name"},
                   "group": {"type": "string", "x-wco-id": "30A", "x-wco-name": "Consignor"},
                   "nameless": {"type": "string", "x-wco-id": "016"},
                   "both": {"type": "string", "x-wco-id": "016", "x-wco-name": "UCR", "x-puente-specific": true},
                   "party": {"type": "object", "x-puente-specific": true, "properties": {
                     "name": {"type": "string", "x-puente-specific": true}}},
                   "typo": {"$ref": "#/$defs/party", "properties": {"nmae": {"x-wco-id": "R020", "x-wco-name": "Consignor - name"}}}},
                 "$defs": {
                   "code": {"type": "string", "x-wco-id": "159", "x-wco-name": "Equipment identification number"},
                   "party": {"type": "object", "properties": {"name": {"type": "string", "x-puente-specific": true}}},
                   "unused": {"type": "string", "x-wco-id": "016", "x-wco-name": "UCR"}}}""");

        List<String> problems = WcoConformance.problems(schema);

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("'undecided' has no decision"))
                .anySatisfy(p -> assertThat(p).startsWith("'twice' is decided more than once"))
                .anySatisfy(p -> assertThat(p).contains("'lowercase'").contains("is not a WCO Data Model data element identifier"))
                .anySatisfy(p -> assertThat(p).contains("'group'").contains("is not a WCO Data Model data element identifier"))
                .anySatisfy(p -> assertThat(p).contains("'nameless'").contains("needs the WCO name"))
                .anySatisfy(p -> assertThat(p).contains("'both' is both Puente-specific and mapped"))
                .anySatisfy(p -> assertThat(p).isEqualTo("'/properties/party' is not a leaf field and cannot carry a decision"))
                .anySatisfy(p -> assertThat(p).startsWith("'typo.nmae' is decided but declared nowhere"))
                .anySatisfy(p -> assertThat(p).isEqualTo("'/$defs/unused' carries a decision no field reaches"))
                .anySatisfy(p -> assertThat(p).startsWith("'#/$defs/unused' is used by no field"))
                .hasSize(10);
        assertThatThrownBy(() -> WcoConformance.decisions(schema)).isInstanceOf(IllegalArgumentException.class);
    }

    private JsonNode schema(MessageTypeDefinition type, SchemaVersion version) {
        return catalogue.schemaDocument(type.type(), version.version()).orElseThrow();
    }

    private static JsonNode json(String text) {
        try {
            return CanonicalJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
