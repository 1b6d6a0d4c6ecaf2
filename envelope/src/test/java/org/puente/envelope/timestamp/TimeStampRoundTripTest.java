package org.puente.envelope.timestamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.envelope.timestamp.TimeStampFixtures.sha256;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.envelope.PuenteOids;
import org.puente.envelope.keys.TimeStampSigningKey;

/** A digest stamped through the sample TSA over HTTP, verified by Puente and by OpenSSL ({@code openssl ts}). */
class TimeStampRoundTripTest {
    private static SamplePki pki;
    private static SampleTimeStampAuthority tsa;
    private static TimeStampClient client;

    @TempDir
    static Path sampleSet;

    @BeforeAll
    static void startTheUsTsa() {
        pki = SamplePki.generate();
        pki.writeTo(sampleSet, SamplePki.samplePassword());
        // the credential as a deployment or the CLI's demo reads it: the sample set's tsa.p12
        TimeStampSigningKey key = TimeStampSigningKey.fromPkcs12(sampleSet.resolve("us/tsa.p12"),
                SamplePki.samplePassword(), "tsa");
        tsa = new SampleTimeStampAuthority(key, 0).start();
        client = new TimeStampClient(tsa.url(), new TimeStampVerifier(List.of(pki.us().trustAnchor())));
    }

    @AfterAll
    static void stopTheTsa() {
        tsa.close();
    }

    @Test
    void a_stamped_checkpoint_digest_verifies_with_its_time_and_tsa() {
        byte[] digest = sha256("audit checkpoint 42");
        Instant before = Instant.now().minusSeconds(1);

        byte[] token = client.stamp(digest);
        VerifiedTimeStamp verified = TimeStampVerifier.verify(token, digest, List.of(pki.us().trustAnchor()));

        assertThat(verified.genTime()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(verified.tsaSubject())
                .isEqualTo("CN=tsa.us.puente.sample,OU=Time-Stamping Authority,O=Puente SAMPLE - NOT FOR PRODUCTION,C=US");
        assertThat(verified.tsaCertificate()).isEqualTo(pki.us().timeStampingAuthority().certificate());
        assertThat(verified.policy()).isEqualTo(PuenteOids.SAMPLE_TSA_POLICY.getId());
    }

    @Test
    void serial_numbers_increase_from_token_to_token() {
        byte[] digest = sha256("checkpoint");
        TimeStampVerifier verifier = new TimeStampVerifier(List.of(pki.us().trustAnchor()));

        VerifiedTimeStamp first = verifier.verify(client.stamp(digest), digest);
        VerifiedTimeStamp second = verifier.verify(client.stamp(digest), digest);

        assertThat(second.serialNumber()).isGreaterThan(first.serialNumber());
    }

    @Test
    void the_tsa_answers_again_after_an_outage_ends() {
        tsa.setAvailable(false);
        tsa.setAvailable(true);

        assertThat(client.stamp(sha256("after the outage"))).isNotEmpty();
    }

    @Test
    void openssl_verifies_the_token_against_the_tsa_chain(@TempDir Path work) throws Exception {
        byte[] digest = sha256("audit checkpoint for openssl");
        Path token = Files.write(work.resolve("token.tsr"), client.stamp(digest));
        Path us = sampleSet.resolve("us");

        OpenSslRun loose = openssl(work, "ts", "-verify", "-digest", HexFormat.of().formatHex(digest), "-in", token.toString(),
                "-token_in", "-CAfile", us.resolve("tsa.chain.pem").toString(), "-untrusted", us.resolve("tsa.pem").toString());
        OpenSslRun strict = openssl(work, "ts", "-verify", "-digest", HexFormat.of().formatHex(digest), "-in", token.toString(),
                "-token_in", "-CAfile", us.resolve("root-ca.pem").toString(), "-untrusted", us.resolve("tsa.chain.pem").toString());

        assertThat(loose.exitCode()).as(loose.output()).isZero();
        assertThat(loose.output()).contains("Verification: OK");
        assertThat(strict.exitCode()).as(strict.output()).isZero();
        assertThat(strict.output()).contains("Verification: OK");
    }

    @Test
    void openssl_refuses_the_token_for_another_digest(@TempDir Path work) throws Exception {
        Path token = Files.write(work.resolve("token.tsr"), client.stamp(sha256("the real checkpoint")));
        Path us = sampleSet.resolve("us");

        OpenSslRun run = openssl(work, "ts", "-verify", "-digest", HexFormat.of().formatHex(sha256("another")), "-in",
                token.toString(), "-token_in", "-CAfile", us.resolve("root-ca.pem").toString(), "-untrusted",
                us.resolve("tsa.chain.pem").toString());

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("message imprint mismatch");
    }

    @Test
    void openssl_refuses_the_us_token_against_the_mexican_root(@TempDir Path work) throws Exception {
        byte[] digest = sha256("checkpoint");
        Path token = Files.write(work.resolve("token.tsr"), client.stamp(digest));

        OpenSslRun run = openssl(work, "ts", "-verify", "-digest", HexFormat.of().formatHex(digest), "-in", token.toString(),
                "-token_in", "-CAfile", sampleSet.resolve("mx/root-ca.pem").toString(), "-untrusted",
                sampleSet.resolve("us/tsa.chain.pem").toString());

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("Verification: FAILED");
    }

    record OpenSslRun(int exitCode, String output) {
    }

    /** openssl as an independent RFC 3161 implementation; skipped, with a message, where it is not installed. */
    private static OpenSslRun openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("openssl is not installed: OpenSSL time-stamp checks skipped");
            throw e;
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl did not finish: " + command);
        }
        return new OpenSslRun(process.exitValue(), output);
    }
}
