package org.puente.routes.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.IssuedCredential;
import org.puente.certs.SamplePki;
import org.puente.engine.testing.EmbeddedPostgresServer;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.Poll;

/**
 * Issue 16, point 3, with two US instances on one PostgreSQL behind the peer link: the MX gateway
 * rotates its keys and announces its new encryption certificate to the one US instance its peer
 * URL names; the other instance, which never heard the announcement, seals to the new certificate
 * too within a tick (it reads table {@code peer_key}), and a message sent through it reaches ANAM.
 */
class SharedDatabaseKeyRotationTest {
    @TempDir
    Path dir;
    String url;

    @BeforeEach
    void database() {
        url = EmbeddedPostgresServer.createDatabase();
    }

    @AfterEach
    void dropDatabase() {
        EmbeddedPostgresServer.dropDatabase(url);
    }

    @Test
    void the_instance_that_did_not_hear_the_announcement_seals_to_the_new_key_from_the_shared_database() throws Exception {
        Path pki = dir.resolve("pki");
        SamplePki sample = SamplePki.generate();
        sample.writeTo(pki, SamplePki.samplePassword());
        GatewayHarness.Ports first = GatewayHarness.Ports.free();
        GatewayHarness.Ports second = GatewayHarness.Ports.free();
        GatewayHarness.Ports mxPorts = GatewayHarness.Ports.free();
        Map<String, String> shared = Map.of("puente.db.url", url, "puente.db.user", EmbeddedPostgresServer.user());
        try (GatewayHarness us1 = GatewayHarness.start(Country.US, pki, dir.resolve("us1"), first, mxPorts, shared);
             GatewayHarness us2 = GatewayHarness.start(Country.US, pki, dir.resolve("us2"), second, mxPorts, shared);
             GatewayHarness mx = GatewayHarness.start(Country.MX, pki, dir.resolve("mx"), mxPorts, first, Map.of())) {
            Map<String, IssuedCredential> renewed = sample.renewGatewayKeys(Country.MX, sample.generatedAt().plusSeconds(60));
            X509Certificate newEncryption = renewed.get("encryption").certificate();
            KeyRotationTest.replaceKeystore(pki.resolve("mx/gateway.p12"), renewed);

            HttpResponse<byte[]> reload = AgencyClient.sample(pki, Country.MX, "operator", mxPorts.ops())
                    .post("/ops/v1/keys/reload", "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(reload.statusCode()).as(new String(reload.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(KeyRotationTest.json(reload.body()).get("peerConfirmed").asBoolean()).isTrue();
            assertThat(us1.gateway().security().peerRecipient().certificate()).isEqualTo(newEncryption);

            assertThat(Poll.until(Duration.ofSeconds(40), () -> Optional.of(
                    us2.gateway().security().peerRecipient().certificate()).filter(newEncryption::equals))).isPresent();
            HttpResponse<byte[]> sent = AgencyClient.sample(pki, Country.US, "agency-cbp", second.agency()).post(
                    "/api/v1/messages", SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes());
            assertThat(sent.statusCode()).isEqualTo(202);
            String id = KeyRotationTest.json(sent.body()).get("messageId").asText();
            AgencyClient anam = AgencyClient.sample(pki, Country.MX, "agency-anam", mxPorts.agency());
            assertThat(Poll.until(Duration.ofSeconds(30), () -> Optional.of(anam.get("/api/v1/inbox/" + id + "/payload"))
                    .filter(r -> r.statusCode() == 200))).isPresent();
            assertThat(us2.count("SELECT COUNT(*) FROM peer_key")).isEqualTo(1);
        }
    }
}
