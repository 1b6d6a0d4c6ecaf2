package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.cli.demo.LocalExchange;
import org.puente.engine.store.Database;

/**
 * A gateway with a wrong or missing key, an unreadable keystore or a certificate that does not
 * match its configured role stops at start-up with exit code 2 and one line naming the problem.
 */
class StartupConfigurationTest {
    @TempDir
    static Path dir;
    static Path pki;

    @BeforeAll
    static void pki() {
        pki = dir.resolve("pki");
        SamplePki.generate().writeTo(pki, SamplePki.samplePassword());
    }

    record Outcome(int exitCode, String stderr) {
    }

    static Outcome start(Map<String, String> properties, String keystorePassword) throws Exception {
        Path jar = LocalExchange.home().resolve("gateway-us/target/gateway-us.jar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Dpuente.pki.dir=" + pki, "-Dpuente.data.dir=" + dir.resolve("data"),
                "-Dpuente.listen.agency-port=" + LocalExchangePorts.free(), "-Dpuente.listen.peer-port=" + LocalExchangePorts.free(),
                "-Dpuente.listen.ops-port=" + LocalExchangePorts.free()));
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of("puente.sample", "true"));
        all.putAll(properties);
        all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("stdout.log").toFile())
                .redirectError(dir.resolve("stderr.log").toFile());
        if (keystorePassword == null) {
            pb.environment().remove("PUENTE_KEYSTORE_PASSWORD");
        } else {
            pb.environment().put("PUENTE_KEYSTORE_PASSWORD", keystorePassword);
        }
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the gateway did not stop on bad configuration");
        }
        return new Outcome(p.exitValue(), read(dir.resolve("stderr.log")));
    }

    static String read(Path p) throws IOException {
        return Files.readString(p).trim();
    }

    @Test
    void a_missing_key_stops_the_gateway_with_one_line_naming_it() throws Exception {
        Outcome o = start(Map.of("puente.peer.url", ""), SamplePki.SAMPLE_PASSWORD);
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).isEqualTo("puente gateway: cannot start: configuration_invalid: The configuration is invalid:"
                + " puente.peer.url is missing.");
    }

    @Test
    void a_wrong_value_stops_the_gateway_with_one_line_naming_the_key_and_the_value() throws Exception {
        Outcome o = start(Map.of("puente.dispatch.concurrency", "lots"), SamplePki.SAMPLE_PASSWORD);
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).hasLineCount(1).contains("puente.dispatch.concurrency must be a whole number, got 'lots'");
    }

    @Test
    void an_unreadable_keystore_stops_the_gateway_without_printing_the_password() throws Exception {
        Outcome o = start(Map.of(), "not-the-password");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).hasLineCount(1).startsWith("puente gateway: cannot start: configuration_invalid")
                .doesNotContain("not-the-password");
        Outcome missing = start(Map.of(), null);
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).hasLineCount(1).contains("PUENTE_KEYSTORE_PASSWORD");
    }

    @Test
    void a_data_folder_another_gateway_holds_stops_the_gateway_in_one_line_naming_the_lock() throws Exception {
        // the embedded database opens on a thread of its own beside the keystore: its refusal must still be the one line
        Path held = dir.resolve("held");
        try (Database running = Database.embedded(held, 2)) {
            Outcome o = start(Map.of("puente.data.dir", held.toString()), SamplePki.SAMPLE_PASSWORD);
            assertThat(o.exitCode()).isEqualTo(2);
            assertThat(o.stderr()).hasLineCount(1).startsWith("puente gateway: cannot start: configuration_invalid")
                    .contains("puente.lock");
            // both wrong: the keystore's refusal is the one line; the database's, met beside it, is not printed
            Outcome both = start(Map.of("puente.data.dir", held.toString()), "not-the-password");
            assertThat(both.exitCode()).isEqualTo(2);
            assertThat(both.stderr()).hasLineCount(1).contains("keystore", "wrong password").doesNotContain("puente.lock")
                    .doesNotContain("not-the-password");
            assertThat(running.isReachable()).isTrue();
        }
    }

    @Test
    void a_keystore_of_the_other_gateway_stops_the_gateway_naming_the_certificate() throws Exception {
        Outcome o = start(Map.of("puente.pki.keystore", "mx/gateway.p12"), SamplePki.SAMPLE_PASSWORD);
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).hasLineCount(1)
                .contains("is a certificate for 'gateway.mx.puente.sample', not for 'gateway.us.puente.sample'");
    }

    @Test
    void the_packaged_configuration_on_the_public_sample_keys_stops_the_gateway_in_one_line_naming_the_key() throws Exception {
        // issue 13, point 6: the packaged application.properties say puente.sample=false
        Outcome o = start(Map.of("puente.sample", "false"), SamplePki.SAMPLE_PASSWORD);
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.stderr()).isEqualTo("puente gateway: cannot start: configuration_invalid: The configuration is invalid:"
                + " puente.pki.keystore holds the 'signing' key of the public SAMPLE PKI (\"CN=gateway.us.puente.sample,"
                + "OU=Gateway,O=Puente SAMPLE - NOT FOR PRODUCTION,C=US\"), whose private keys anyone can read; use your own"
                + " keys, or set puente.sample=true for a demo or a test.");
    }
}
