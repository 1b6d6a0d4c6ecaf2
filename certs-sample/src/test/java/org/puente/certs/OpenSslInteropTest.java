package org.puente.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.puente.model.Country;

/** The written sample set checked by OpenSSL, an implementation independent of the JDK and Bouncy Castle. */
class OpenSslInteropTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeTheSampleSet() {
        Fixtures.ecP256().writeTo(dir, SamplePki.samplePassword());
    }

    @BeforeEach
    void needsOpenSsl() {
        OpenSsl.assumeAvailable();
    }

    static Stream<Arguments> everyValidLeaf() {
        return Stream.of(Country.values())
                .flatMap(country -> Fixtures.validLeaves(country).stream().map(leaf -> Arguments.of(country, leaf.fileBase())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyValidLeaf")
    void openssl_accepts_every_chain_with_every_crl_checked(Country country, String leaf) throws Exception {
        OpenSsl.Result result = verify(country, country, "-untrusted", "issuing-ca.pem", leaf + ".pem");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isEqualTo(leaf + ".pem: OK\n");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyValidLeaf")
    void openssl_accepts_every_chain_file_as_the_untrusted_intermediates(Country country, String leaf) throws Exception {
        OpenSsl.Result result = verify(country, country, "-untrusted", leaf + ".chain.pem", leaf + ".pem");

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Country.class)
    void openssl_reports_the_revoked_client_as_revoked(Country country) throws Exception {
        String leaf = Fixtures.revokedLeafBase(country);

        OpenSsl.Result result = verify(country, country, "-untrusted", "issuing-ca.pem", leaf + ".pem");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("error 23 at 0 depth lookup: certificate revoked");
    }

    @ParameterizedTest
    @EnumSource(Country.class)
    void openssl_rejects_a_chain_against_the_other_countrys_root(Country country) throws Exception {
        OpenSsl.Result result = OpenSsl.run(folder(country), "verify", "-CAfile", "../" + SampleNames.folder(country.peer())
                + "/root-ca.pem", "-untrusted", "issuing-ca.pem", "gateway-signing.pem");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("unable to get local issuer certificate");
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
            "gateway-signing, smimesign",
            "gateway-tls, sslserver",
            "gateway-tls, sslclient",
            "agency-cbp, sslclient",
            "operator, sslclient",
            "auditor, sslclient",
            "tsa, timestampsign"})
    void openssl_accepts_each_role_for_its_purpose(String leaf, String purpose) throws Exception {
        OpenSsl.Result result = verify(Country.US, Country.US, "-purpose", purpose, "-untrusted", "issuing-ca.pem", leaf + ".pem");

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
            "agency-cbp, sslserver",
            "agency-cbp, smimesign",
            "gateway-signing, sslclient",
            "gateway-tls, smimesign",
            "gateway-audit, smimesign",
            "gateway-signing, timestampsign",
            "tsa, smimesign",
            "tsa, sslclient"})
    void openssl_refuses_a_role_for_another_purpose(String leaf, String purpose) throws Exception {
        OpenSsl.Result result = verify(Country.US, Country.US, "-purpose", purpose, "-untrusted", "issuing-ca.pem", leaf + ".pem");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("error 26 at 0 depth lookup: unsuitable certificate purpose");
    }

    @Test
    void openssl_reads_the_gateway_keystore_with_the_sample_password() throws Exception {
        OpenSsl.Result result = OpenSsl.run(folder(Country.US), "pkcs12", "-in", "gateway.p12", "-passin",
                "pass:" + SamplePki.SAMPLE_PASSWORD, "-nokeys");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("friendlyName: signing", "friendlyName: encryption", "friendlyName: tls",
                "subject=C = US, O = Puente SAMPLE - NOT FOR PRODUCTION, OU = Gateway, CN = gateway.us.puente.sample",
                "subject=C = US, O = Puente SAMPLE - NOT FOR PRODUCTION, CN = Puente SAMPLE US Root CA");
    }

    @Test
    void openssl_reads_every_keystore_and_its_keys_with_the_sample_password() throws Exception {
        List<String> p12 = Fixtures.filesUnder(dir).stream().filter(p -> p.endsWith(".p12")).toList();

        assertThat(p12).isNotEmpty();
        for (String file : p12) {
            OpenSsl.Result result = OpenSsl.run(dir, "pkcs12", "-in", file, "-passin", "pass:" + SamplePki.SAMPLE_PASSWORD,
                    "-noenc", "-info");
            assertThat(result.exitCode()).as(file + ": " + result.output()).isZero();
            assertThat(result.output()).as(file).contains("PBES2, PBKDF2, AES-256-CBC").contains("MAC: sha256");
        }
    }

    @Test
    void openssl_refuses_the_keystore_with_a_wrong_password() throws Exception {
        OpenSsl.Result result = OpenSsl.run(folder(Country.MX), "pkcs12", "-in", "gateway.p12", "-passin", "pass:wrong", "-nokeys");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("verify error");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyValidLeaf")
    void every_private_key_file_matches_its_certificate(Country country, String leaf) throws Exception {
        OpenSsl.Result fromKey = OpenSsl.run(folder(country), "pkey", "-in", leaf + ".key.pem", "-pubout");
        OpenSsl.Result fromCertificate = OpenSsl.run(folder(country), "x509", "-in", leaf + ".pem", "-noout", "-pubkey");

        assertThat(fromKey.exitCode()).as(fromKey.output()).isZero();
        assertThat(fromKey.output()).startsWith("-----BEGIN PUBLIC KEY-----").isEqualTo(fromCertificate.output());
    }

    @Test
    void manifest_serials_and_subjects_match_what_openssl_reads_from_each_certificate() throws Exception {
        SampleManifest manifest = SampleManifest.read(dir.resolve("manifest.json"));
        List<SampleManifest.Entry> certificates = manifest.files().stream()
                .filter(entry -> "certificate-pem".equals(entry.format())).toList();

        assertThat(certificates).hasSize(2 * (2 + 4 + 5 + 1));
        for (SampleManifest.Entry entry : certificates) {
            OpenSsl.Result result = OpenSsl.run(dir, "x509", "-in", entry.path(), "-noout", "-serial", "-subject",
                    "-nameopt", "RFC2253");
            assertThat(result.output()).as(entry.path())
                    .isEqualTo("serial=" + entry.serial() + "\nsubject=" + entry.subject() + "\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Country.class)
    void openssl_reads_both_crls_as_version_2_with_a_crl_number(Country country) throws Exception {
        for (String crl : List.of("root-ca.crl.pem", "issuing-ca.crl.pem")) {
            OpenSsl.Result result = OpenSsl.run(folder(country), "crl", "-in", crl, "-noout", "-text");
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("Version 2 (0x1)", "X509v3 CRL Number", "X509v3 Authority Key Identifier");
        }
        OpenSsl.Result issuing = OpenSsl.run(folder(country), "crl", "-in", "issuing-ca.crl.pem", "-noout", "-text");
        assertThat(issuing.output()).contains("Key Compromise");
    }

    /** {@code openssl verify} against one country's root with both of the chain's CRLs and -crl_check_all. */
    private static OpenSsl.Result verify(Country leafCountry, Country trusted, String... args) throws Exception {
        String root = "../" + SampleNames.folder(trusted) + "/";
        List<String> command = new ArrayList<>(List.of("verify", "-CAfile", root + "root-ca.pem",
                "-crl_check_all", "-CRLfile", "issuing-ca.crl.pem", "-CRLfile", root + "root-ca.crl.pem"));
        command.addAll(List.of(args));
        return OpenSsl.run(folder(leafCountry), command.toArray(new String[0]));
    }

    private static Path folder(Country country) {
        return dir.resolve(SampleNames.folder(country));
    }
}
