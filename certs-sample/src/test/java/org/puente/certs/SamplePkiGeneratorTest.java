package org.puente.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator's command line: options, exit codes, and where the keystore password comes from. */
class SamplePkiGeneratorTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> environment, String... args) {
        return new SamplePkiGenerator(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    @Test
    void generates_the_sample_set_with_the_sample_password_and_says_so(@TempDir Path dir) throws Exception {
        int status = run(Map.of(), "--out", dir.toString());

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("SAMPLE PKI - NOT FOR PRODUCTION", "profile ec-p256", "the SAMPLE password \"puente-sample\"");
        assertThat(SampleManifest.read(dir.resolve("manifest.json")).profile()).isEqualTo("ec-p256");
        assertThat(load(dir.resolve("us/gateway.p12"), SamplePki.SAMPLE_PASSWORD).size()).isEqualTo(4);
    }

    @Test
    void takes_the_password_from_the_named_environment_variable_without_printing_it(@TempDir Path dir) throws Exception {
        int status = run(Map.of("PUENTE_KEYSTORE_PASSWORD", "s3cret-from-env"), "--out", dir.toString(),
                "--password-env", "PUENTE_KEYSTORE_PASSWORD", "--profile", "ec-p384");

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("environment variable PUENTE_KEYSTORE_PASSWORD", "ec-p384")
                .doesNotContain("s3cret-from-env").doesNotContain("puente-sample");
        assertThat(load(dir.resolve("mx/agency-sat.p12"), "s3cret-from-env").size()).isEqualTo(1);
    }

    @Test
    void an_unset_password_variable_is_invalid_input_naming_the_variable(@TempDir Path dir) {
        int status = run(Map.of(), "--out", dir.toString(), "--password-env", "MY_PKI_PASSWORD");

        assertThat(status).isEqualTo(SamplePkiGenerator.INVALID_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("MY_PKI_PASSWORD is not set or empty");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void an_unknown_profile_is_a_usage_error_listing_the_profiles(@TempDir Path dir) {
        int status = run(Map.of(), "--out", dir.toString(), "--profile", "dsa-1024");

        assertThat(status).isEqualTo(SamplePkiGenerator.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("configuration_invalid", "dsa-1024", "ec-p256, ec-p384, rsa-3072");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void a_missing_out_folder_is_a_usage_error() {
        assertThat(run(Map.of(), "--profile", "ec-p256")).isEqualTo(SamplePkiGenerator.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--out DIR is required", "Usage:");
    }

    @Test
    void an_option_without_its_value_is_a_usage_error() {
        assertThat(run(Map.of(), "--out")).isEqualTo(SamplePkiGenerator.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--out needs a value");
    }

    @Test
    void an_unknown_option_is_a_usage_error() {
        assertThat(run(Map.of(), "--out", "x", "--force")).isEqualTo(SamplePkiGenerator.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --force");
    }

    @Test
    void an_unwritable_output_path_is_invalid_input(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");

        int status = run(Map.of(), "--out", file.toString());

        assertThat(status).isEqualTo(SamplePkiGenerator.INVALID_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("configuration_invalid", "cannot write");
    }

    @Test
    void help_prints_the_usage_and_the_sample_warning() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--out DIR", "--profile NAME", "--password-env VAR",
                "SAMPLE - NOT FOR PRODUCTION");
    }

    private static KeyStore load(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
