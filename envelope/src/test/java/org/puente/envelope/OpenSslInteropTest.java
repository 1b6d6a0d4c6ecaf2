package org.puente.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.puente.certs.SamplePki;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;
import org.puente.envelope.crypto.AlgorithmProfile;

/**
 * Interoperability with an independent CMS implementation, OpenSSL 3 ({@code openssl cms}), in
 * both directions and for every profile. Skipped, with a message, only where openssl is absent
 * ({@code .ci/run} installs it).
 */
class OpenSslInteropTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void requireOpenSsl() {
        boolean present;
        try {
            present = new ProcessBuilder("openssl", "version").start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        Assumptions.assumeTrue(present, "openssl is not installed: OpenSSL interoperability tests skipped");
    }

    @ParameterizedTest
    @EnumSource(AlgorithmProfile.class)
    void openssl_decrypts_and_verifies_what_puente_sealed(AlgorithmProfile profile) throws Exception {
        assumeOpenSslKnows(profile);
        Gateways g = Gateways.of(profile);
        Path set = sampleSet(g, profile);
        EnvelopeHeader header = Gateways.header();
        byte[] payload = "{\"trip\":\"T-OPENSSL-1\",\"note\":\"ñandú\"}".getBytes(StandardCharsets.UTF_8);
        Path envelope = write(set.resolve("puente.der"), g.usSealer().seal(header, payload, g.mxEncryption()).bytes());
        Path inner = set.resolve("inner.der");
        Path content = set.resolve("content.der");
        // openssl cms takes CRLs from the CA file: root certificate and both CRLs in one PEM
        Path caWithCrls = concat(set.resolve("us-ca-and-crls.pem"), set.resolve("us/root-ca.pem"),
                set.resolve("us/issuing-ca.crl.pem"), set.resolve("us/root-ca.crl.pem"));

        openssl("cms", "-decrypt", "-inform", "DER", "-in", envelope, "-recip", set.resolve("mx/gateway-encryption.pem"),
                "-inkey", set.resolve("mx/gateway-encryption.key.pem"), "-out", inner);
        openssl("cms", "-verify", "-binary", "-inform", "DER", "-in", inner, "-CAfile", caWithCrls,
                "-crl_check_all", "-out", content);

        byte[] expected = concat(PuenteMessageFormat.prefix(CanonicalJson.bytes(header), payload.length), payload);
        assertThat(Files.readAllBytes(content)).as("the signed content is the PuenteMessage DER, byte for byte")
                .isEqualTo(expected);
        String printed = openssl("cms", "-cmsout", "-print", "-inform", "DER", "-in", inner);
        assertThat(printed).contains(PuenteOids.MESSAGE.getId());
    }

    @ParameterizedTest
    @EnumSource(AlgorithmProfile.class)
    void puente_opens_what_openssl_signed_and_encrypted(AlgorithmProfile profile) throws Exception {
        assumeOpenSslKnows(profile);
        Gateways g = Gateways.of(profile);
        Path set = sampleSet(g, profile);
        EnvelopeHeader header = Gateways.header();
        byte[] payload = "{\"trip\":\"T-OPENSSL-2\"}".getBytes(StandardCharsets.UTF_8);
        Path message = write(set.resolve("message.der"),
                concat(PuenteMessageFormat.prefix(CanonicalJson.bytes(header), payload.length), payload));
        Path signed = set.resolve("signed.der");
        Path envelope = set.resolve("openssl.der");

        List<Object> sign = new ArrayList<>(List.of("cms", "-sign", "-binary", "-nodetach", "-econtent_type",
                PuenteOids.MESSAGE.getId(), "-md", profile.digestName().replace("-", "").toLowerCase(),
                "-in", message, "-signer", set.resolve("us/gateway-signing.pem"),
                "-inkey", set.resolve("us/gateway-signing.key.pem"), "-certfile", set.resolve("us/issuing-ca.pem"),
                "-outform", "DER", "-out", signed));
        List<Object> encrypt = new ArrayList<>(List.of("cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", signed,
                "-recip", set.resolve("mx/gateway-encryption.pem"), "-outform", "DER", "-out", envelope));
        if (profile.isPostQuantum()) {
            sign.removeAll(List.of("-md", "sha512"));
        } else if (profile.isEllipticCurve()) {
            encrypt.addAll(List.of("-keyopt", "ecdh_kdf_md:" + profile.digestName().replace("-", "").toLowerCase()));
        } else {
            sign.addAll(List.of("-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:32"));
            encrypt.addAll(List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256",
                    "-keyopt", "rsa_mgf1_md:sha256"));
        }
        openssl(sign.toArray());
        openssl(encrypt.toArray());

        OpenedEnvelope opened = g.mxOpener().open(Files.readAllBytes(envelope), header);

        assertThat(opened.header()).isEqualTo(header);
        assertThat(opened.payload()).isEqualTo(payload);
        assertThat(opened.signer()).isEqualTo(g.pki.us().gatewaySigning().certificate());
    }

    /**
     * ML-DSA and ML-KEM arrived in OpenSSL 3.5; an older openssl cannot be the independent check,
     * so the post-quantum profile is skipped with that reason (never passed). The hybrid profile's
     * composite algorithms are in no OpenSSL release: skipped with that reason unless one lists them.
     */
    private static void assumeOpenSslKnows(AlgorithmProfile profile) throws IOException, InterruptedException {
        if (!profile.isPostQuantum()) {
            return;
        }
        String signatures = openssl("list", "-signature-algorithms");
        String kems = openssl("list", "-kem-algorithms");
        if (profile.isHybrid()) {
            Assumptions.assumeTrue(signatures.contains("MLDSA65-ECDSA-P256") && kems.contains("MLKEM768-ECDH-P256"),
                    () -> "this openssl (" + version() + ") implements neither composite MLDSA65-ECDSA-P256 signatures"
                            + " nor the composite MLKEM768-ECDH-P256 KEM (no OpenSSL release does, as of 3.5):"
                            + " OpenSSL interoperability of " + profile.cliName() + " skipped");
        }
        Assumptions.assumeTrue(signatures.contains("ML-DSA-65") && kems.contains("ML-KEM-768"),
                () -> "this openssl (" + version() + ") implements neither ML-DSA-65 nor ML-KEM-768 (OpenSSL 3.5+"
                        + " does): OpenSSL interoperability of " + profile.cliName() + " skipped");
    }

    private static String version() {
        try {
            return openssl("version").trim();
        } catch (IOException | InterruptedException e) {
            return "unknown version";
        }
    }

    private static Path sampleSet(Gateways g, AlgorithmProfile profile) {
        Path set = dir.resolve(profile.cliName());
        if (!Files.exists(set.resolve("mx/gateway-encryption.pem"))) {
            g.pki.writeTo(set, SamplePki.samplePassword());
        }
        return set;
    }

    private static String openssl(Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        for (Object a : args) {
            command.add(a.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s%n%s", String.join(" ", command), text).isZero();
        return text;
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        return Files.write(file, bytes);
    }

    private static Path concat(Path target, Path... files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Path f : files) {
            out.write(Files.readAllBytes(f));
        }
        return Files.write(target, out.toByteArray());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
