package org.puente.cli.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.PkiProfile;
import org.puente.certs.SamplePki;
import org.puente.cli.PuenteCommand;
import org.puente.cli.exit.ExitCodes;
import org.puente.model.AgencyRef;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;
import picocli.CommandLine;

class EnvelopeCommandsTest {
    @TempDir
    static Path dir;
    static Path pki;
    static Path password;
    static Path header;
    static Path payload;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void sampleSetAndMessage() throws Exception {
        pki = dir.resolve("pki");
        SamplePki.generate(PkiProfile.EC_P256, Clock.systemUTC()).writeTo(pki, SamplePki.samplePassword());
        password = Files.writeString(dir.resolve("password.txt"), SamplePki.SAMPLE_PASSWORD + "\n");
        UUID id = UUID.randomUUID();
        header = Files.write(dir.resolve("header.json"), CanonicalJson.bytes(new EnvelopeHeader(id, id.toString(),
                "cargo.manifest", "1.0", new AgencyRef(Country.US, "CBP"), new AgencyRef(Country.MX, "ANAM"),
                "CMAA-2000", "risk-assessment", Sensitivity.COMMERCIAL_CONFIDENTIAL, "en",
                Instant.now().truncatedTo(ChronoUnit.MILLIS), Duration.ofHours(24), Priority.NORMAL)));
        payload = Files.writeString(dir.resolve("payload.json"), "{\"trip\":\"T-CLI-1\"}");
    }

    @Test
    void seals_and_opens_an_envelope_writing_the_verified_header_and_payload() throws Exception {
        Path envelope = seal("roundtrip.der");
        Path out = dir.resolve("opened");

        Run open = puente("envelope", "open", "--in", envelope.toString(), "--keystore", pki("mx/gateway.p12"),
                "--trust", pki("us/root-ca.pem"), "--crl", pki("us/issuing-ca.crl.pem"), pki("us/root-ca.crl.pem"),
                "--expect-signer", "gateway.us.puente.sample", "--header", header.toString(),
                "--password-file", password.toString(), "--out", out.toString());

        assertThat(open.exit()).as(open.err()).isEqualTo(ExitCodes.OK);
        assertThat(open.out()).contains("signer: gateway.us.puente.sample");
        assertThat(Files.readAllBytes(out.resolve("payload"))).isEqualTo(Files.readAllBytes(payload));
        assertThat(Files.readAllBytes(out.resolve("header.json"))).isEqualTo(Files.readAllBytes(header));
    }

    @Test
    void prints_the_exact_error_code_and_exits_1_when_the_envelope_was_changed() throws Exception {
        Path envelope = seal("tampered.der");
        byte[] bytes = Files.readAllBytes(envelope);
        bytes[bytes.length - 40] ^= 1;
        Files.write(envelope, bytes);

        Run open = puente("envelope", "open", "--in", envelope.toString(), "--keystore", pki("mx/gateway.p12"),
                "--trust", pki("us/root-ca.pem"), "--password-file", password.toString(),
                "--out", dir.resolve("never").toString());

        assertThat(open.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(open.err()).contains("error decryption_failed: ");
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void refuses_a_signer_that_does_not_chain_to_the_given_roots() throws Exception {
        Path envelope = seal("untrusted.der");

        Run open = puente("envelope", "open", "--in", envelope.toString(), "--keystore", pki("mx/gateway.p12"),
                "--trust", pki("mx/root-ca.pem"), "--password-file", password.toString(),
                "--out", dir.resolve("never2").toString());

        assertThat(open.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(open.err()).contains("error untrusted_chain: ");
    }

    @Test
    void inspects_an_envelope_without_any_key() throws Exception {
        Path envelope = seal("inspect.der");

        Run inspect = puente("envelope", "inspect", envelope.toString());

        assertThat(inspect.exit()).isEqualTo(ExitCodes.OK);
        assertThat(inspect.out()).contains("id-ct-authEnvelopedData", "key agreement (kari)",
                "dhSinglePass-stdDH-sha256kdf-scheme", "aes256-GCM", "profile check: OK");
    }

    @Test
    void seals_inspects_and_opens_with_the_post_quantum_profile_from_pkcs12_files() throws Exception {
        Path pq = dir.resolve("pki-pq");
        SamplePki.generate(PkiProfile.ML_KEM_768_ML_DSA_65, Clock.systemUTC()).writeTo(pq, SamplePki.samplePassword());
        Path envelope = dir.resolve("pq.der");
        Run seal = puente("envelope", "seal", "--profile", "ml-kem-768-ml-dsa-65", "--header", header.toString(),
                "--payload", payload.toString(), "--signer", pq.resolve("us/gateway.p12").toString(),
                "--recipient", pq.resolve("mx/gateway-encryption.pem").toString(), "--password-file", password.toString(),
                "--out", envelope.toString());
        assertThat(seal.exit()).as(seal.err()).isEqualTo(ExitCodes.OK);

        Run inspect = puente("envelope", "inspect", "--profile", "ml-kem-768-ml-dsa-65", envelope.toString());
        assertThat(inspect.out()).contains("key encapsulation (ori-kem", "id-alg-ml-kem-768", "profile check: OK");

        Path out = dir.resolve("opened-pq");
        Run open = puente("envelope", "open", "--profile", "ml-kem-768-ml-dsa-65", "--in", envelope.toString(),
                "--keystore", pq.resolve("mx/gateway.p12").toString(), "--trust", pq.resolve("us/root-ca.pem").toString(),
                "--expect-signer", "gateway.us.puente.sample", "--header", header.toString(),
                "--password-file", password.toString(), "--out", out.toString());
        assertThat(open.exit()).as(open.err()).isEqualTo(ExitCodes.OK);
        assertThat(Files.readAllBytes(out.resolve("payload"))).isEqualTo(Files.readAllBytes(payload));
    }

    @Test
    void a_missing_option_is_a_usage_error() {
        assertThat(puente("envelope", "seal", "--header", header.toString()).exit()).isEqualTo(ExitCodes.USAGE);
    }

    private Path seal(String name) {
        Path envelope = dir.resolve(name);
        Run seal = puente("envelope", "seal", "--header", header.toString(), "--payload", payload.toString(),
                "--signer", pki("us/gateway.p12"), "--recipient", pki("mx/gateway-encryption.pem"),
                "--password-file", password.toString(), "--out", envelope.toString());
        assertThat(seal.exit()).as(seal.err()).isEqualTo(ExitCodes.OK);
        assertThat(seal.out()).startsWith("sealed ");
        return envelope;
    }

    private static String pki(String relative) {
        return pki.resolve(relative).toString();
    }

    private static Run puente(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = PuenteCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

}
