package org.puente.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.catalogue.MessageTypeDefinition;
import org.puente.model.catalogue.SchemaVersion;
import org.puente.model.schema.WcoConformance.Decision;

/**
 * The WCO Data Model conformance table of docs/contract.md (section 10) is exactly what the payload
 * schemas say, so the document cannot drift from the contract: a decision changed, added or removed
 * in a schema fails the build until the table shows it. The failure prints the table to paste.
 */
class WcoConformanceTableTest {
    private static final Path CONTRACT = Path.of("..", "docs", "contract.md");
    private static final String SECTION = "## 10. WCO Data Model conformance";
    private static final String TABLE_HEADER = "| type | versions | field | WCO ID | WCO name |";
    private static final String SUMMARY_HEADER = "| type | fields | WCO Data Model | Puente-specific |";

    private final MessageCatalogue catalogue = MessageCatalogue.standard();

    @Test
    void the_conformance_table_of_the_contract_is_what_the_schemas_say() throws IOException {
        List<String> section = section(Files.readAllLines(CONTRACT, StandardCharsets.UTF_8));
        List<Row> rows = rows();

        List<String> expected = rows.stream().map(Row::markdown).toList();
        List<String> documented = table(section, TABLE_HEADER);
        assertThat(documented)
                .withFailMessage(() -> "docs/contract.md section 10 differs from the schemas."
                        + "\nMissing or different in the document: " + without(expected, documented)
                        + "\nIn the document but not in the schemas: " + without(documented, expected)
                        + "\nThe table the schemas give:\n" + TABLE_HEADER + "\n|---|---|---|---|---|\n" + String.join("\n", expected))
                .isEqualTo(expected);

        List<String> summary = summary(rows);
        assertThat(table(section, SUMMARY_HEADER))
                .withFailMessage(() -> "the summary of docs/contract.md section 10 should read:\n" + SUMMARY_HEADER
                        + "\n|---|---:|---:|---:|\n" + String.join("\n", summary))
                .isEqualTo(summary);
    }

    /** One row of the conformance table: a field of a type, the versions it has this decision in, and the decision. */
    record Row(String type, List<String> versions, Decision decision) {
        String markdown() {
            return "| `" + type + "` | " + String.join(", ", versions) + " | `" + decision.path() + "` | "
                    + (decision.puenteSpecific() ? "Puente-specific | —" : "`" + decision.wcoId() + "` | " + decision.wcoName())
                    + " |";
        }
    }

    /**
     * The table rows, type by type in catalogue order, fields in schema order (a field a later version
     * adds comes after the others); a field with the same decision in several versions is one row.
     */
    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (MessageTypeDefinition type : catalogue.types()) {
            Map<String, Map<Decision, List<String>>> byField = new LinkedHashMap<>();
            for (SchemaVersion version : type.schemaVersions()) {
                for (Decision decision : WcoConformance.decisions(schema(type, version))) {
                    byField.computeIfAbsent(decision.path(), p -> new LinkedHashMap<>())
                            .computeIfAbsent(decision, d -> new ArrayList<>()).add(version.version());
                }
            }
            byField.values().forEach(decisions -> decisions.forEach((decision, versions) -> rows.add(new Row(type.type(), versions, decision))));
        }
        return rows;
    }

    private List<String> summary(List<Row> rows) {
        List<String> lines = new ArrayList<>();
        long allMapped = 0;
        long allOwn = 0;
        for (MessageTypeDefinition type : catalogue.types()) {
            long mapped = rows.stream().filter(r -> r.type().equals(type.type()) && !r.decision().puenteSpecific()).count();
            long own = rows.stream().filter(r -> r.type().equals(type.type()) && r.decision().puenteSpecific()).count();
            lines.add("| `" + type.type() + "` | " + (mapped + own) + " | " + mapped + " | " + own + " |");
            allMapped += mapped;
            allOwn += own;
        }
        lines.add("| all types | " + (allMapped + allOwn) + " | " + allMapped + " | " + allOwn + " |");
        return lines;
    }

    private static List<String> section(List<String> lines) {
        int start = lines.indexOf(SECTION);
        assertThat(start).as("docs/contract.md has the section \"%s\"", SECTION).isNotNegative();
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("## ")) {
            end++;
        }
        return lines.subList(start, end);
    }

    /** The body rows of the table with this header line (the separator line after the header is skipped). */
    private static List<String> table(List<String> section, String header) {
        int at = section.indexOf(header);
        assertThat(at).as("section 10 has the table \"%s\"", header).isNotNegative();
        List<String> body = new ArrayList<>();
        for (int i = at + 2; i < section.size() && section.get(i).startsWith("|"); i++) {
            body.add(section.get(i).strip());
        }
        return body;
    }

    private static List<String> without(List<String> these, List<String> those) {
        return these.stream().filter(line -> !those.contains(line)).toList();
    }

    private JsonNode schema(MessageTypeDefinition type, SchemaVersion version) {
        return catalogue.schemaDocument(type.type(), version.version()).orElseThrow();
    }
}
