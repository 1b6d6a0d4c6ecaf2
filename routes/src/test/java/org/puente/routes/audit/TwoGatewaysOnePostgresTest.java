package org.puente.routes.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.audit.verify.ChainReport;
import org.puente.engine.audit.AuditFixtures;
import org.puente.engine.store.Database;
import org.puente.engine.testing.EmbeddedPostgresServer;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.model.samples.SampleMessages.Sample;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.Poll;

/**
 * Two complete US gateway engines (two Camel contexts, two group-commit writers, two work
 * runners) sharing one embedded PostgreSQL, as two instances behind a load balancer would:
 * agencies submit to both at once, every message reaches Mexico once, and the one audit chain
 * they write together has no gap, no fork, and verifies with its checkpoints. Delivery suspended
 * through one instance is suspended for both: the switch is a row their claims read.
 */
class TwoGatewaysOnePostgresTest {
    private static final byte[] MANIFEST = SampleMessages.named("cargo.manifest.us-to-mx.json").map(Sample::bytes)
            .orElseThrow();

    @TempDir
    Path dir;
    Path pki;
    String url;
    GatewayHarness.Ports first;
    GatewayHarness.Ports second;
    GatewayHarness.Ports mxPorts;
    Map<String, String> shared;

    @BeforeEach
    void database() {
        pki = AuditFixtures.pki();
        url = EmbeddedPostgresServer.createDatabase();
        first = GatewayHarness.Ports.free();
        second = GatewayHarness.Ports.free();
        mxPorts = GatewayHarness.Ports.free();
        shared = Map.of("puente.db.url", url, "puente.db.user", EmbeddedPostgresServer.user());
    }

    @AfterEach
    void dropDatabase() {
        EmbeddedPostgresServer.dropDatabase(url);
    }

    @Test
    void two_engines_on_one_postgresql_write_one_gapless_chain_that_verifies() throws Exception {
        try (GatewayHarness us1 = GatewayHarness.start(Country.US, pki, dir.resolve("us1"), first, mxPorts, shared);
             GatewayHarness us2 = GatewayHarness.start(Country.US, pki, dir.resolve("us2"), second, mxPorts, shared);
             GatewayHarness mx = GatewayHarness.start(Country.MX, pki, dir.resolve("mx"), mxPorts, first, Map.of())) {
            List<AgencyClient> senders = List.of(AgencyClient.sample(pki, Country.US, "agency-cbp", first.agency()),
                    AgencyClient.sample(pki, Country.US, "agency-cbp", second.agency()));
            AgencyClient anam = AgencyClient.sample(pki, Country.MX, "agency-anam", mxPorts.agency());

            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                AgencyClient to = senders.get(i % 2);
                submitted.add(pool.submit(() -> {
                    HttpResponse<byte[]> r = to.post("/api/v1/messages", MANIFEST);
                    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(202);
                    return json(r.body()).get("messageId").asText();
                }));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> f : submitted) {
                ids.add(f.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertThat(ids).hasSize(60);

            List<String> arrived = new ArrayList<>();
            Optional<Boolean> all = Poll.until(Duration.ofSeconds(60), () -> {
                JsonNode page = json(anam.get("/api/v1/inbox?limit=500").body());
                arrived.clear();
                page.get("messages").forEach(m -> arrived.add(m.get("messageId").asText()));
                return arrived.size() >= ids.size() ? Optional.of(true) : Optional.empty();
            });
            assertThat(all).isPresent();
            assertThat(arrived).hasSize(60).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);

            // the sending side is settled once every receipt is recorded; then either instance may sign
            // the shared head, and the other sees it signed and does not sign it again
            assertThat(Poll.until(Duration.ofSeconds(30), () -> count(us1, "RECEIPTED") == 60 ? Optional.of(true)
                    : Optional.empty())).isPresent();
            assertThat(us1.gateway().audit().checkpoints().checkpoint()).isPresent();
            assertThat(us2.gateway().audit().checkpoints().checkpoint()).isEmpty();
        }

        try (Database db = Database.postgres(url, EmbeddedPostgresServer.user(), "", 2);
             Connection c = db.dataSource().getConnection()) {
            ChainReport report = AuditFixtures.verification().verifyLive(c, null);
            assertThat(report.intact()).as(report.toString()).isTrue();
            // SUBMITTED, SEALED, SENT, RECEIPTED for each message, written by two engines into one chain
            assertThat(count(c, "SUBMITTED")).isEqualTo(60);
            assertThat(report.entries()).isEqualTo(report.lastSeq()).isGreaterThanOrEqualTo(4L * 60);
            // the one above, plus those of the clean shutdowns when the chain had moved on
            assertThat(report.checkpoints()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void delivery_suspended_through_one_engine_is_suspended_for_the_other_until_resumed_through_either() {
        try (GatewayHarness us1 = GatewayHarness.start(Country.US, pki, dir.resolve("us1"), first, mxPorts, shared);
             GatewayHarness us2 = GatewayHarness.start(Country.US, pki, dir.resolve("us2"), second, mxPorts, shared);
             GatewayHarness mx = GatewayHarness.start(Country.MX, pki, dir.resolve("mx"), mxPorts, first, Map.of())) {
            AgencyClient operator1 = AgencyClient.sample(pki, Country.US, "operator", first.ops());
            AgencyClient operator2 = AgencyClient.sample(pki, Country.US, "operator", second.ops());
            AgencyClient cbp2 = AgencyClient.sample(pki, Country.US, "agency-cbp", second.agency());
            AgencyClient anam = AgencyClient.sample(pki, Country.MX, "agency-anam", mxPorts.agency());

            HttpResponse<byte[]> suspended = operator1.post("/ops/v1/delivery/suspend",
                    "{\"reason\":\"one instance's maintenance\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(suspended.statusCode()).as(new String(suspended.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            JsonNode seenByOther = json(operator2.get("/ops/v1/delivery").body());
            assertThat(seenByOther.path("suspended").asBoolean()).as("the other instance reads the same switch").isTrue();
            assertThat(seenByOther.path("reason").asText()).isEqualTo("one instance's maintenance");

            NotifyBuilder cycles1 = new NotifyBuilder(us1.context()).fromRoute("work-peer-envelope").whenCompleted(5).create();
            NotifyBuilder cycles2 = new NotifyBuilder(us2.context()).fromRoute("work-peer-envelope").whenCompleted(5).create();
            HttpResponse<byte[]> accepted = cbp2.post("/api/v1/messages", MANIFEST);
            assertThat(accepted.statusCode()).isEqualTo(202);
            String id = json(accepted.body()).get("messageId").asText();
            assertThat(cycles1.matches(20, TimeUnit.SECONDS)).as("the first instance's work route ran").isTrue();
            assertThat(cycles2.matches(20, TimeUnit.SECONDS)).as("the second instance's work route ran").isTrue();
            assertThat(us2.count("SELECT COUNT(*) FROM work WHERE kind = 'PEER_ENVELOPE' AND ref = ? AND attempts = 0"
                    + " AND lease_owner IS NULL", id)).as("neither instance claimed its job").isEqualTo(1);
            assertThat(state(cbp2, id)).isEqualTo("PENDING");
            assertThat(anam.get("/api/v1/inbox/" + id).statusCode()).isEqualTo(404);

            HttpResponse<byte[]> resumed = operator2.post("/ops/v1/delivery/resume", "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(resumed.statusCode()).isEqualTo(200);
            assertThat(json(operator1.get("/ops/v1/delivery").body()).path("suspended").asBoolean()).isFalse();
            assertThat(Poll.until(Duration.ofSeconds(30), () -> Optional.of(state(cbp2, id)).filter("RECEIPTED"::equals)))
                    .as("delivered once resumed through the other instance").isPresent();
            assertThat(anam.get("/api/v1/inbox/" + id).statusCode()).isEqualTo(200);
            assertThat(count(us1, "ROUTE_SUSPENDED")).isEqualTo(1);
            assertThat(count(us1, "ROUTE_RESUMED")).isEqualTo(1);
        }
    }

    private static String state(AgencyClient client, String id) {
        return json(client.get("/api/v1/messages/" + id).body()).get("state").asText();
    }

    /** Counted through a gateway's own connections (its pool is already open on the shared database). */
    private static long count(GatewayHarness gateway, String event) {
        return gateway.count("SELECT COUNT(*) FROM audit_event WHERE event = ?", event);
    }

    private static long count(Connection c, String event) throws java.sql.SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_event WHERE event = ?")) {
            ps.setString(1, event);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            return CanonicalJson.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(new String(body, StandardCharsets.UTF_8), e);
        }
    }
}
