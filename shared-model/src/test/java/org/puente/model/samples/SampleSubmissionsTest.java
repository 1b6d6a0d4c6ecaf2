package org.puente.model.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.puente.model.AgencyRef;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.catalogue.MessageTypeDefinition;
import org.puente.model.catalogue.RouteRule;
import org.puente.model.validation.MessageValidator;
import org.puente.model.validation.SubmissionCheck;

/**
 * Runs every sample submission through the validator: valid samples (main resources, also the demo
 * traffic) must pass without a single problem; each invalid sample must produce exactly the
 * problems its {@code .expect.json} declares (severity, code and pointer).
 */
class SampleSubmissionsTest {
    private static final Path INVALID = Path.of("src/test/resources/samples/invalid");
    private static final Path VALID_FOLDER = Path.of("src/main/resources/org/puente/model/samples");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MessageValidator VALIDATOR = MessageValidator.standard();

    static Stream<SampleMessages.Sample> validSamples() {
        return SampleMessages.all().stream();
    }

    static Stream<String> invalidSamples() throws IOException {
        try (Stream<Path> files = Files.list(INVALID)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.endsWith(".expect.json"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSamples")
    void valid_sample_is_accepted_without_any_problem(SampleMessages.Sample sample) {
        SubmissionCheck check = VALIDATOR.validateSubmission(sample.bytes());

        assertThat(check.report().problems()).isEmpty();
        assertThat(check.submission()).isPresent();
        assertThat(check.submission().get().header().messageType()).isEqualTo(sample.messageType());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSamples")
    void invalid_sample_produces_exactly_the_declared_problems(String name) throws IOException {
        byte[] document = Files.readAllBytes(INVALID.resolve(name));
        JsonNode expected = JSON.readTree(INVALID.resolve(name.replace(".json", ".expect.json")).toFile());

        SubmissionCheck check = VALIDATOR.validateSubmission(document);

        List<String> expectedProblems = new ArrayList<>();
        expected.forEach(p -> expectedProblems.add(p.get("severity").asText() + " " + p.get("code").asText() + " '" + p.get("pointer").asText() + "'"));
        List<String> actualProblems = check.report().problems().stream()
                .map(p -> p.severity() + " " + p.code().code() + " '" + p.pointer() + "'").toList();
        assertThat(expectedProblems).as("an expect file must declare at least one problem").isNotEmpty();
        assertThat(actualProblems).containsExactlyInAnyOrderElementsOf(expectedProblems);
        assertThat(check.accepted()).isEqualTo(!check.report().hasErrors());
    }

    @Test
    void every_invalid_sample_has_an_expect_file() throws IOException {
        for (String name : invalidSamples().toList()) {
            assertThat(INVALID.resolve(name.replace(".json", ".expect.json"))).exists();
        }
    }

    @Test
    void index_lists_exactly_the_sample_files() throws IOException {
        Set<String> files;
        try (Stream<Path> list = Files.list(VALID_FOLDER)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(new TreeSet<>(SampleMessages.names())).isEqualTo(files);
    }

    @Test
    void every_message_type_has_a_valid_sample_for_each_direction_it_flows() {
        MessageCatalogue catalogue = MessageCatalogue.standard();
        for (MessageTypeDefinition type : catalogue.types()) {
            Set<String> directions = type.routes().stream().map(SampleSubmissionsTest::direction).collect(Collectors.toSet());
            Set<String> sampled = SampleMessages.all().stream().filter(s -> s.messageType().equals(type.type()))
                    .map(SampleMessages.Sample::direction).collect(Collectors.toSet());
            assertThat(sampled).as(type.type()).containsAll(directions);
        }
    }

    @Test
    void samples_are_found_by_name() {
        assertThat(SampleMessages.named("cargo.manifest.us-to-mx.json")).isPresent();
        assertThat(SampleMessages.named("no-such-sample.json")).isEmpty();
    }

    private static String direction(RouteRule route) {
        return direction(route.from()) + "-to-" + direction(route.to());
    }

    private static String direction(AgencyRef agency) {
        return agency.country().name().toLowerCase(java.util.Locale.ROOT);
    }
}
