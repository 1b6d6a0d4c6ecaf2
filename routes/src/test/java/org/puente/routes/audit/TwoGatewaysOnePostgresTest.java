package org.puente.routes.audit;

import org.puente.audit.verify.ChainReport;
import org.puente.engine.audit.AuditFixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.engine.store.Database;
import org.puente.routes.testing.AgencyClient;
import org.puente.engine.testing.EmbeddedPostgresServer;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.Poll;
import org.puente.model.samples.SampleMessages.Sample;

/**
 * Two complete US gateway engines (two Camel contexts, two group-commit writers, two dispatchers)
 * sharing one embedded PostgreSQL, as two instances behind a load balancer would: agencies submit
 * to both at once, every message reaches Mexico once, and the one audit chain they write together
 * has no gap, no fork, and verifies with its checkpoints.
 */
class TwoGatewaysOnePostgresTest {
    @TempDir
    Path dir;

    @Test
    void two_engines_on_one_postgresql_write_one_gapless_chain_that_verifies() throws Exception {
        Path pki = AuditFixtures.pki();
        String url = EmbeddedPostgresServer.createDatabase();
        GatewayHarness.Ports first = GatewayHarness.Ports.free();
        GatewayHarness.Ports second = GatewayHarness.Ports.free();
        GatewayHarness.Ports mxPorts = GatewayHarness.Ports.free();
        Map<String, String> shared = Map.of("puente.db.url", url, "puente.db.user", EmbeddedPostgresServer.user());
        try (GatewayHarness us1 = GatewayHarness.start(Country.US, pki, dir.resolve("us1"), first, mxPorts, shared);
             GatewayHarness us2 = GatewayHarness.start(Country.US, pki, dir.resolve("us2"), second, mxPorts, shared);
             GatewayHarness mx = GatewayHarness.start(Country.MX, pki, dir.resolve("mx"), mxPorts, first, Map.of())) {
            List<AgencyClient> senders = List.of(AgencyClient.sample(pki, Country.US, "agency-cbp", first.agency()),
                    AgencyClient.sample(pki, Country.US, "agency-cbp", second.agency()));
            AgencyClient anam = AgencyClient.sample(pki, Country.MX, "agency-anam", mxPorts.agency());
            byte[] document = SampleMessages.named("cargo.manifest.us-to-mx.json").map(Sample::bytes).orElseThrow();

            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                AgencyClient to = senders.get(i % 2);
                submitted.add(pool.submit(() -> {
                    HttpResponse<byte[]> r = to.post("/api/v1/messages", document);
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
            assertThat(us1.assembly().audit().checkpoints().checkpoint()).isPresent();
            assertThat(us2.assembly().audit().checkpoints().checkpoint()).isEmpty();
        }

        try (Database db = Database.of(url, EmbeddedPostgresServer.user(), "", 2); Connection c = db.dataSource().getConnection()) {
            ChainReport report = AuditFixtures.verification().verifyLive(c, null);
            assertThat(report.intact()).as(report.toString()).isTrue();
            // SUBMITTED, SEALED, SENT, RECEIPTED for each message, written by two engines into one chain
            assertThat(count(c, "SUBMITTED")).isEqualTo(60);
            assertThat(report.entries()).isEqualTo(report.lastSeq()).isGreaterThanOrEqualTo(4L * 60);
            // the one above, plus those of the clean shutdowns when the chain had moved on
            assertThat(report.checkpoints()).isGreaterThanOrEqualTo(1);
        } finally {
            EmbeddedPostgresServer.dropDatabase(url);
        }
    }

    /** Counted through a gateway's own connections (its pool is already open on the shared database). */
    private static long count(GatewayHarness gateway, String event) {
        return gateway.assembly().transactions().read(c -> count(c, event));
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
            throw new IllegalStateException(new String(body), e);
        }
    }
}
