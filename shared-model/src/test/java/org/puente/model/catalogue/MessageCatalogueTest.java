package org.puente.model.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.puente.model.AgencyRef;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

class MessageCatalogueTest {
    private static final AgencyRef CBP = AgencyRef.parse("US/CBP");
    private static final AgencyRef ICE = AgencyRef.parse("US/ICE-HSI");
    private static final AgencyRef ANAM = AgencyRef.parse("MX/ANAM");
    private static final AgencyRef SAT = AgencyRef.parse("MX/SAT");
    private final MessageCatalogue catalogue = MessageCatalogue.standard();

    @Test
    void standard_catalogue_holds_the_ten_message_types_of_the_agreement() {
        assertThat(catalogue.types()).extracting(MessageTypeDefinition::type).containsExactly(
                "cargo.manifest", "cargo.declaration-match", "cargo.transit-event", "targeting.risk-referral",
                "targeting.exam-result", "partnership.mra-status", "enforcement.assistance-request",
                "enforcement.assistance-response", "enforcement.spontaneous-information", "enforcement.disclosure-consent");
        assertThat(catalogue.agencies()).extracting(Agency::ref).containsExactly(CBP, ICE, ANAM, SAT);
        assertThat(catalogue.agency(SAT).orElseThrow().name().in(Locale.forLanguageTag("es"))).isEqualTo("Servicio de Administración Tributaria");
        assertThat(catalogue.version()).isEqualTo("2026.1");
    }

    @Test
    void legal_bases_carry_their_dates_and_the_declaration_of_principles_is_not_binding() {
        assertThat(catalogue.legalBasis("CMAA-2000").orElseThrow().signed()).hasToString("2000-06-20");
        assertThat(catalogue.legalBasis("MRA-2014").orElseThrow().signed()).hasToString("2014-10-17");
        LegalBasis dop = catalogue.legalBasis("DOP-2009").orElseThrow();
        assertThat(dop.binding()).isFalse();
        assertThat(catalogue.types()).noneMatch(t -> t.legalBases().contains("DOP-2009"));
    }

    @Test
    void every_route_crosses_the_border_between_known_agencies() {
        for (MessageTypeDefinition type : catalogue.types()) {
            assertThat(type.routes()).as(type.type()).isNotEmpty().allSatisfy(r -> {
                assertThat(r.from().country()).isNotEqualTo(r.to().country());
                assertThat(catalogue.agency(r.from())).isPresent();
                assertThat(catalogue.agency(r.to())).isPresent();
            });
            assertThat(type.defaultTimeToLive()).isLessThanOrEqualTo(type.maxTimeToLive());
            assertThat(catalogue.schemaDocument(type.type(), "1.0")).isPresent();
            type.purposes().forEach(p -> assertThat(catalogue.purpose(p)).as(p).isPresent());
        }
    }

    @Test
    void routes_follow_the_typical_sender_and_receiver_of_each_type() {
        assertThat(catalogue.mayRoute("cargo.manifest", CBP, ANAM)).isTrue();
        assertThat(catalogue.mayRoute("cargo.manifest", ANAM, CBP)).isTrue();
        assertThat(catalogue.mayRoute("cargo.manifest", CBP, SAT)).isFalse();
        assertThat(catalogue.mayRoute("enforcement.assistance-request", ICE, ANAM)).isTrue();
        assertThat(catalogue.mayRoute("enforcement.assistance-request", ANAM, ICE)).isTrue();
        assertThat(catalogue.mayRoute("partnership.mra-status", SAT, CBP)).isTrue();
        assertThat(catalogue.mayRoute("partnership.mra-status", ICE, ANAM)).isFalse();
        assertThat(catalogue.mayRoute("no.such-type", CBP, ANAM)).isFalse();
        assertThat(catalogue.typesRoutable(ICE, SAT)).extracting(MessageTypeDefinition::type)
                .containsExactly("enforcement.spontaneous-information", "enforcement.disclosure-consent");
    }

    @Test
    void types_carry_label_time_to_live_priority_and_schema() {
        MessageTypeDefinition referral = catalogue.type("targeting.risk-referral").orElseThrow();
        assertThat(referral.sensitivity()).isEqualTo(Sensitivity.LAW_ENFORCEMENT_SENSITIVE);
        assertThat(referral.defaultPriority()).isEqualTo(Priority.URGENT);
        assertThat(referral.defaultTimeToLive()).isEqualTo(Duration.ofHours(12));
        assertThat(catalogue.schemaFor("cargo.manifest", "1.0")).contains(
                new SchemaVersion("1.0", "schemas/cargo.manifest/1.0.schema.json", true));
        assertThat(catalogue.schemaFor("cargo.manifest", "1.1")).contains(
                new SchemaVersion("1.1", "schemas/cargo.manifest/1.1.schema.json", false));
        assertThat(catalogue.schemaFor("cargo.manifest", "9.9")).isEmpty();
        assertThat(catalogue.type("cargo.manifesto")).isEmpty();
    }

    @Test
    void two_versions_of_one_type_live_side_by_side() {
        MessageCatalogue two = TestCatalogues.twoManifestVersions();

        MessageTypeDefinition manifest = two.type("cargo.manifest").orElseThrow();
        assertThat(manifest.versionNumbers()).containsExactly("1.0", "1.1");
        assertThat(manifest.latestVersion().version()).isEqualTo("1.1");
        assertThat(two.schemaFor("cargo.manifest", "1.0").orElseThrow().deprecated()).isTrue();
        assertThat(two.schemaDocument("cargo.manifest", "1.1").orElseThrow().path("properties").has("inBondMovementId")).isTrue();
        assertThat(two.schemaDocument("cargo.manifest", "1.0").orElseThrow().path("properties").has("inBondMovementId")).isFalse();
    }

    @Test
    void rejects_a_route_naming_an_unknown_agency() {
        assertRejected(c -> TestCatalogues.type(c, "cargo.manifest").withArray("routes").addObject()
                .put("from", "US/CBP").put("to", "MX/SEMAR"), "route US/CBP -> MX/SEMAR names unknown agency MX/SEMAR");
    }

    @Test
    void rejects_a_route_that_does_not_cross_the_border() {
        assertRejected(c -> TestCatalogues.type(c, "cargo.manifest").withArray("routes").addObject()
                .put("from", "US/CBP").put("to", "US/ICE-HSI"), "does not cross the border");
    }

    @Test
    void rejects_a_missing_schema_resource() {
        assertRejected(c -> TestCatalogues.type(c, "cargo.manifest").withArray("schemaVersions").addObject()
                .put("version", "1.7").put("schema", "schemas/cargo.manifest/1.7.schema.json"),
                "schema resource schemas/cargo.manifest/1.7.schema.json is missing");
    }

    @Test
    void rejects_a_default_time_to_live_above_the_maximum() {
        assertRejected(c -> TestCatalogues.type(c, "cargo.manifest").put("defaultTimeToLive", "P3D"),
                "default time-to-live PT72H is above the maximum PT24H");
    }

    @Test
    void rejects_unknown_legal_bases_and_purposes() {
        assertRejected(c -> {
            TestCatalogues.type(c, "cargo.manifest").withArray("legalBases").add("NAFTA-1994");
            TestCatalogues.type(c, "cargo.manifest").withArray("purposes").add("general-curiosity");
        }, "unknown legal basis NAFTA-1994; cargo.manifest: unknown purpose general-curiosity");
    }

    @Test
    void rejects_a_type_listed_twice_and_a_version_listed_twice() {
        assertRejected(c -> c.withArray("messageTypes").add(TestCatalogues.type(c, "cargo.manifest").deepCopy()),
                "cargo.manifest: message type listed twice");
        assertRejected(c -> TestCatalogues.type(c, "cargo.manifest").withArray("schemaVersions")
                .add(TestCatalogues.type(c, "cargo.manifest").withArray("schemaVersions").get(0).deepCopy()),
                "schema version 1.0 listed twice");
    }

    @Test
    void rejects_a_structurally_wrong_catalogue_with_the_place_of_the_mistake() {
        assertRejected(c -> TestCatalogues.type(c, "cargo.manifest").put("sensitivity", "SECRET"), "/messageTypes/0/sensitivity");
        assertRejected(c -> TestCatalogues.type(c, "cargo.manifest").put("legalBasis", "CMAA-2000"), "legalBasis");
    }

    @Test
    void rejects_a_catalogue_that_is_not_json() {
        assertThatThrownBy(() -> MessageCatalogue.load(new ByteArrayInputStream("{\"agencies\": [".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID))
                .hasMessageContaining("not well-formed JSON");
    }

    @Test
    void loads_a_catalogue_file_with_its_schemas_next_to_it(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ObjectNode tree = TestCatalogues.standardTree();
        tree.set("messageTypes", TestCatalogues.JSON.createArrayNode().add(TestCatalogues.type(tree, "cargo.manifest")));
        for (String version : java.util.List.of("1.0", "1.1")) {
            java.nio.file.Path schema = dir.resolve("schemas/cargo.manifest/" + version + ".schema.json");
            java.nio.file.Files.createDirectories(schema.getParent());
            try (var in = getClass().getClassLoader().getResourceAsStream("org/puente/model/schemas/cargo.manifest/"
                    + version + ".schema.json")) {
                java.nio.file.Files.write(schema, in.readAllBytes());
            }
        }
        java.nio.file.Path file = dir.resolve("catalogue.json");
        TestCatalogues.JSON.writeValue(file.toFile(), tree);

        MessageCatalogue loaded = MessageCatalogue.load(file);

        assertThat(loaded.types()).extracting(MessageTypeDefinition::type).containsExactly("cargo.manifest");
        Set<String> types = loaded.types().stream().map(MessageTypeDefinition::type).collect(Collectors.toSet());
        assertThat(types).doesNotContain("cargo.transit-event");
    }

    private static void assertRejected(java.util.function.Consumer<ObjectNode> edit, String expectedMessagePart) {
        assertThatThrownBy(() -> TestCatalogues.load(edit))
                .isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID))
                .hasMessageContaining(expectedMessagePart);
    }
}
