package org.puente.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.Country;

/** The folder layout, the manifest and the keystores written by {@link SamplePki#writeTo}. */
class SampleSetLayoutTest {
    private static final Set<String> ALLOWED_ROLES = Set.of("root-ca", "issuing-ca", "crl", "gateway-signing",
            "gateway-encryption", "gateway-tls", "gateway-audit", "gateway-keystore", "truststore", "agency-client", "operator",
            "auditor", "time-stamping-authority", "private-key");

    @TempDir
    static Path dir;
    private static SamplePki pki;
    private static SampleManifest manifest;

    @BeforeAll
    static void writeTheSampleSet() {
        pki = Fixtures.ecP256();
        manifest = pki.writeTo(dir, SamplePki.samplePassword());
    }

    @Test
    void writes_exactly_the_documented_layout() throws IOException {
        Set<String> expected = new TreeSet<>(List.of("manifest.json"));
        for (Country country : Country.values()) {
            String c = SampleNames.folder(country);
            expected.addAll(List.of(c + "/root-ca.pem", c + "/root-ca.crl.pem", c + "/issuing-ca.pem",
                    c + "/issuing-ca.crl.pem", c + "/gateway.p12", c + "/truststore-own.p12", c + "/truststore-peer.p12"));
            List<String> leaves = new ArrayList<>(List.of("gateway-signing", "gateway-encryption", "gateway-tls", "gateway-audit", "tsa"));
            List<String> clients = new ArrayList<>(List.of("operator", "auditor", Fixtures.revokedLeafBase(country)));
            SampleNames.agencies(country).forEach(a -> clients.add("agency-" + a.toLowerCase(Locale.ROOT)));
            leaves.addAll(clients);
            for (String leaf : leaves) {
                expected.addAll(List.of(c + "/" + leaf + ".pem", c + "/" + leaf + ".key.pem", c + "/" + leaf + ".chain.pem"));
            }
            clients.forEach(client -> expected.add(c + "/" + client + ".p12"));
            expected.add(c + "/tsa.p12");
        }

        assertThat(Fixtures.filesUnder(dir)).containsExactlyElementsOf(expected);
        assertThat(expected).contains("us/agency-cbp.p12", "us/agency-ice-hsi.key.pem", "mx/agency-sat.chain.pem",
                "mx/agency-anam-revoked.p12", "us/agency-cbp-revoked.pem");
    }

    @Test
    void manifest_lists_every_file_written_once_with_an_allowed_role() throws IOException {
        JsonNode json = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        List<String> paths = new ArrayList<>();
        json.get("files").forEach(file -> {
            paths.add(file.get("path").asText());
            assertThat(ALLOWED_ROLES).as(file.toString()).contains(file.get("role").asText());
            assertThat(file.get("country").asText()).isIn("US", "MX");
            assertThat(file.get("purpose").asText()).isNotBlank();
        });

        Set<String> written = new TreeSet<>(Fixtures.filesUnder(dir));
        written.remove("manifest.json");
        assertThat(paths).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
        assertThat(json.get("profile").asText()).isEqualTo("ec-p256");
        assertThat(json.get("warning").asText()).isEqualTo("SAMPLE - NOT FOR PRODUCTION");
        assertThat(json.get("generatedAt").asText()).isEqualTo(pki.generatedAt().toString());
        assertThat(SampleManifest.read(dir.resolve("manifest.json"))).isEqualTo(manifest);
    }

    @Test
    void manifest_describes_certificates_keys_and_the_revoked_client() {
        Map<String, SampleManifest.Entry> byPath = manifest.files().stream()
                .collect(Collectors.toMap(SampleManifest.Entry::path, entry -> entry));

        SampleManifest.Entry signing = byPath.get("us/gateway-signing.pem");
        assertThat(signing.role()).isEqualTo(SampleFileRole.GATEWAY_SIGNING);
        assertThat(signing.subject()).isEqualTo(pki.us().gatewaySigning().certificate().getSubjectX500Principal().getName());
        assertThat(new BigInteger(signing.serial(), 16)).isEqualTo(pki.us().gatewaySigning().certificate().getSerialNumber());
        assertThat(signing.serial()).matches("([0-9A-F]{2})+");
        assertThat(signing.notAfter()).isEqualTo(pki.us().gatewaySigning().certificate().getNotAfter().toInstant().toString());
        assertThat(signing.revoked()).isNull();
        assertThat(byPath.get("us/gateway-signing.key.pem").role()).isEqualTo(SampleFileRole.PRIVATE_KEY);
        assertThat(byPath.get("us/gateway-signing.key.pem").belongsTo()).isEqualTo("us/gateway-signing.pem");
        assertThat(byPath.get("mx/agency-anam-revoked.pem").role()).isEqualTo(SampleFileRole.AGENCY_CLIENT);
        assertThat(byPath.get("mx/agency-anam-revoked.pem").revoked()).isTrue();
        assertThat(byPath.get("mx/agency-anam-revoked.p12").revoked()).isTrue();
        assertThat(byPath.get("mx/issuing-ca.crl.pem").revokedSerials())
                .containsExactly(SampleSetWriter.hex(pki.mx().revokedAgency().certificate().getSerialNumber()));
        assertThat(byPath.get("us/gateway.p12").aliases()).containsExactly("signing", "encryption", "tls", "audit");
        assertThat(byPath.get("us/truststore-peer.p12").subject()).isEqualTo(pki.mx().trustAnchor().getSubjectX500Principal().getName());
        manifest.files().stream().filter(entry -> entry.role() == SampleFileRole.PRIVATE_KEY)
                .forEach(key -> assertThat(byPath).containsKey(key.belongsTo()));
    }

    @Test
    void checked_in_sample_set_has_the_same_layout_and_a_complete_manifest() throws Exception {
        // Structure only: the checked-in set's CRLs expire 30 days after it was made, so no dates here.
        Path checkedIn = Path.of("sample");

        assertThat(Fixtures.filesUnder(checkedIn)).containsExactlyElementsOf(Fixtures.filesUnder(dir));
        SampleManifest checkedInManifest = SampleManifest.read(checkedIn.resolve("manifest.json"));
        assertThat(checkedInManifest.files()).extracting(SampleManifest.Entry::path)
                .containsExactlyElementsOf(manifest.files().stream().map(SampleManifest.Entry::path).toList());
        assertThat(checkedInManifest.warning()).isEqualTo("SAMPLE - NOT FOR PRODUCTION");
        assertThat(load(checkedIn.resolve("us/gateway.p12"), SamplePki.samplePassword()).size()).isEqualTo(4);
    }

    @Test
    void the_jdk_loads_every_pkcs12_file_with_the_sample_password() throws Exception {
        List<String> p12 = Fixtures.filesUnder(dir).stream().filter(p -> p.endsWith(".p12")).toList();

        assertThat(p12).hasSize(18);
        for (String file : p12) {
            KeyStore store = load(dir.resolve(file), SamplePki.samplePassword());
            assertThat(Collections.list(store.aliases())).as(file).isNotEmpty();
        }
    }

    @Test
    void gateway_keystore_holds_four_keys_each_with_its_full_chain() throws Exception {
        KeyStore store = load(dir.resolve("mx/gateway.p12"), SamplePki.samplePassword());
        Map<String, IssuedCredential> expected = Map.of("signing", pki.mx().gatewaySigning(),
                "encryption", pki.mx().gatewayEncryption(), "tls", pki.mx().gatewayTls(), "audit", pki.mx().gatewayAudit());

        assertThat(Collections.list(store.aliases())).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, IssuedCredential> entry : expected.entrySet()) {
            assertThat(store.isKeyEntry(entry.getKey())).isTrue();
            assertThat(store.getKey(entry.getKey(), SamplePki.samplePassword()).getEncoded())
                    .isEqualTo(entry.getValue().key().getEncoded());
            assertThat(List.of(store.getCertificateChain(entry.getKey()))).containsExactlyElementsOf(entry.getValue().chain());
        }
    }

    @Test
    void truststores_trust_the_own_root_and_the_peer_root() throws Exception {
        KeyStore own = load(dir.resolve("us/truststore-own.p12"), SamplePki.samplePassword());
        KeyStore peer = load(dir.resolve("us/truststore-peer.p12"), SamplePki.samplePassword());

        assertThat(Collections.list(own.aliases())).containsExactly("us-root-ca");
        assertThat(own.isCertificateEntry("us-root-ca")).isTrue();
        assertThat(own.getCertificate("us-root-ca")).isEqualTo(pki.us().trustAnchor());
        assertThat(Collections.list(peer.aliases())).containsExactly("mx-root-ca");
        assertThat(peer.isCertificateEntry("mx-root-ca")).isTrue();
        assertThat(peer.getCertificate("mx-root-ca")).isEqualTo(pki.mx().trustAnchor());
    }

    @Test
    void client_keystores_hold_one_key_under_alias_client() throws Exception {
        KeyStore store = load(dir.resolve("us/agency-ice-hsi.p12"), SamplePki.samplePassword());

        assertThat(Collections.list(store.aliases())).containsExactly("client");
        assertThat(store.getCertificateChain("client")).hasSize(3);
        assertThat(store.getCertificate("client")).isEqualTo(pki.us().agency("ICE-HSI").certificate());
    }

    @Test
    void tsa_keystore_holds_the_time_stamping_key_under_alias_tsa() throws Exception {
        KeyStore store = load(dir.resolve("mx/tsa.p12"), SamplePki.samplePassword());

        assertThat(Collections.list(store.aliases())).containsExactly("tsa");
        assertThat(store.getCertificateChain("tsa")).containsExactlyElementsOf(pki.mx().timeStampingAuthority().chain());
        assertThat(store.getKey("tsa", SamplePki.samplePassword()).getEncoded())
                .isEqualTo(pki.mx().timeStampingAuthority().key().getEncoded());
        assertThat(manifest.files()).filteredOn(entry -> entry.path().equals("mx/tsa.p12")).singleElement()
                .satisfies(entry -> assertThat(entry.role()).isEqualTo(SampleFileRole.TIME_STAMPING_AUTHORITY));
    }

    @Test
    void keystores_refuse_a_wrong_password() {
        assertThatThrownBy(() -> load(dir.resolve("us/gateway.p12"), "not-the-password".toCharArray()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void pem_files_hold_the_leaf_the_chain_the_key_and_the_crls() throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        IssuedCredential tls = pki.mx().gatewayTls();

        try (InputStream in = Files.newInputStream(dir.resolve("mx/gateway-tls.pem"))) {
            assertThat(new ArrayList<Certificate>(x509.generateCertificates(in))).containsExactly(tls.certificate());
        }
        try (InputStream in = Files.newInputStream(dir.resolve("mx/gateway-tls.chain.pem"))) {
            assertThat(new ArrayList<Certificate>(x509.generateCertificates(in))).containsExactlyElementsOf(tls.chain());
        }
        assertThat(readKey(dir.resolve("mx/gateway-tls.key.pem"))).isEqualTo(tls.key());
        try (InputStream in = Files.newInputStream(dir.resolve("mx/issuing-ca.crl.pem"))) {
            assertThat((X509CRL) x509.generateCRL(in)).isEqualTo(pki.mx().issuingCrl());
        }
    }

    @Test
    void writing_with_another_password_protects_every_keystore_with_it(@TempDir Path other) throws Exception {
        char[] password = "a-deployment-password".toCharArray();

        pki.writeTo(other, password);

        assertThat(load(other.resolve("us/agency-cbp.p12"), "a-deployment-password".toCharArray()).size()).isEqualTo(1);
        assertThatThrownBy(() -> load(other.resolve("us/agency-cbp.p12"), SamplePki.samplePassword()))
                .isInstanceOf(IOException.class);
    }

    private static KeyStore load(Path file, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static PrivateKey readKey(Path file) throws Exception {
        String pem = Files.readString(file);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
