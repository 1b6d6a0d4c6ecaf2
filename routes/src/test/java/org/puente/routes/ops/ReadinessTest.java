package org.puente.routes.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.certs.SamplePki;
import org.puente.model.Country;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.Poll;

/**
 * Readiness and admission are one decision: when a readiness check goes down (here the outbox
 * backlog, with the peer absent and a bound of one message), the readiness endpoint answers 503
 * naming the check and agencies get 503 {@code not_ready} with the same reason; liveness stays up.
 */
class ReadinessTest {
    @TempDir
    static Path dir;
    static GatewayHarness us;
    static AgencyClient cbp;
    static AgencyClient operator;

    @BeforeAll
    static void start() {
        Path pki = dir.resolve("pki");
        SamplePki.generate().writeTo(pki, SamplePki.samplePassword());
        GatewayHarness.Ports own = GatewayHarness.Ports.free();
        us = GatewayHarness.start(Country.US, pki, dir.resolve("us"), own, GatewayHarness.Ports.free(),
                Map.of("puente.limits.max-outbox-backlog", "1"));
        cbp = AgencyClient.sample(pki, Country.US, "agency-cbp", own.agency());
        operator = AgencyClient.sample(pki, Country.US, "operator", own.ops());
    }

    @AfterAll
    static void stop() {
        if (us != null) {
            us.close();
        }
    }

    @Test
    void a_readiness_check_going_down_closes_the_agency_api_with_the_same_reason() {
        assertThat(Poll.until(Duration.ofSeconds(20), () -> Optional.of(operator.get("/ops/v1/health/ready").statusCode())
                .filter(s -> s == 200))).as("ready with an empty outbox (the absent peer does not count)").isPresent();
        HttpResponse<byte[]> first = cbp.post("/api/v1/messages", OpsGateways.manifest(null));
        assertThat(first.statusCode()).isEqualTo(202);

        Optional<JsonNode> down = Poll.until(Duration.ofSeconds(20), () -> {
            HttpResponse<byte[]> r = operator.get("/ops/v1/health/ready");
            return r.statusCode() == 503 ? Optional.of(OpsGateways.json(r)) : Optional.empty();
        });
        assertThat(down).isPresent();
        assertThat(down.get().path("status").asText()).isEqualTo("DOWN");
        assertThat(down.get().path("checks").path("outbox").path("status").asText()).isEqualTo("DOWN");
        assertThat(down.get().path("checks").path("database").path("status").asText()).isEqualTo("UP");

        HttpResponse<byte[]> refused = cbp.post("/api/v1/messages", OpsGateways.manifest(null));
        assertThat(refused.statusCode()).isEqualTo(503);
        JsonNode error = OpsGateways.json(refused);
        assertThat(error.path("code").asText()).isEqualTo("not_ready");
        assertThat(error.path("message").asText()).contains("outbox");
        assertThat(operator.get("/ops/v1/health/live").statusCode()).as("liveness is not readiness").isEqualTo(200);
        assertThat(us.assembly().health().snapshot().check("peer").up()).as("no peer in this test").isFalse();
    }
}
