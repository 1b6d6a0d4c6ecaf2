package org.puente.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.samples.SampleMessages;
import picocli.CommandLine;

/** The command line's contract: output format, exit codes (0 ok, 1 invalid input, 2 usage), help on every command. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = PuenteCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path sample(String name) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, SampleMessages.named(name).orElseThrow().bytes());
        return p;
    }

    @Test
    void validate_prints_valid_and_exits_0_for_a_good_message() throws Exception {
        Path file = sample("cargo.manifest.us-to-mx.json");
        Run r = run("validate", file.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out().trim()).isEqualTo(file + ": valid");
    }

    @Test
    void commands_in_their_own_jvm_print_no_logging_noise() throws Exception {
        Path file = sample("cargo.manifest.us-to-mx.json");
        Path data = dir.resolve("gateway-data");
        // a gateway's (empty) embedded database, for a command that reads one through the SQLite driver
        org.puente.engine.store.Database.embedded(data, 2).close();
        org.puente.certs.SamplePki.generate().writeTo(dir.resolve("pki"), org.puente.certs.SamplePki.samplePassword());
        String[][] commands = {{"validate", file.toString()},
                {"audit", "verify", "--data-dir", data.toString(), "--signer", "gateway.us.puente.sample",
                        "--trust", dir.resolve("pki/us/root-ca.pem").toString()}};
        for (String[] args : commands) {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PuenteCommand.class.getName()));
            cmd.addAll(java.util.List.of(args));
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            assertThat(err).as("standard error of puente " + String.join(" ", args))
                    .doesNotContain("SLF4J").doesNotContain("DEBUG").doesNotContain("INFO");
        }
    }

    @Test
    void validate_prints_one_line_per_problem_and_exits_1() throws Exception {
        Path file = dir.resolve("bad.json");
        String good = new String(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes(), StandardCharsets.UTF_8);
        Files.writeString(file, good.replace("UPRU3188069", "UPRU3188060"));
        Run r = run("validate", "--lang", "en", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains(file + ": ERROR invalid_container_number /payload/equipment/0/containerNumber The container number");
    }

    @Test
    void validate_speaks_spanish_when_asked() throws Exception {
        Path file = dir.resolve("bad.json");
        String good = new String(SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes(), StandardCharsets.UTF_8);
        Files.writeString(file, good.replace("UPRU3188069", "UPRU3188060"));
        Run r = run("validate", "--lang", "es", file.toString());
        assertThat(r.out()).contains("El número de contenedor");
    }

    @Test
    void validate_json_output_is_machine_readable() throws Exception {
        Path good = sample("cargo.manifest.us-to-mx.json");
        Path bad = dir.resolve("broken.json");
        Files.writeString(bad, "{not json");
        Run r = run("validate", "--json", good.toString(), bad.toString());
        assertThat(r.code()).isEqualTo(1);
        String[] lines = r.out().trim().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).contains("\"valid\":true");
        assertThat(lines[1]).contains("\"valid\":false").contains("\"code\":\"malformed_json\"");
    }

    @Test
    void usage_errors_exit_2() {
        assertThat(run("validate").code()).isEqualTo(2);
        assertThat(run("no-such-command").code()).isEqualTo(2);
        assertThat(run("pki", "generate").code()).isEqualTo(2);
        assertThat(run("pki", "generate", "--out", dir.toString(), "--profile", "dsa-1024").code()).isEqualTo(2);
    }

    @Test
    void every_command_has_help() {
        for (String[] cmd : new String[][] {{"--help"}, {"validate", "--help"}, {"pki", "--help"}, {"pki", "generate", "--help"},
                {"demo", "--help"}, {"load", "--help"}, {"envelope", "--help"}}) {
            Run r = run(cmd);
            assertThat(r.code()).as(String.join(" ", cmd)).isZero();
            assertThat(r.out()).as(String.join(" ", cmd)).contains("Usage:");
        }
    }

    @Test
    void pki_generate_writes_a_sample_set_with_its_manifest() {
        Run r = run("pki", "generate", "--out", dir.resolve("pki").toString());
        assertThat(r.code()).isZero();
        assertThat(dir.resolve("pki/manifest.json")).exists();
        assertThat(dir.resolve("pki/us/gateway.p12")).exists();
        assertThat(dir.resolve("pki/mx/agency-anam.p12")).exists();
        assertThat(r.out()).contains("SAMPLE PKI (ec-p256)");
    }
}
