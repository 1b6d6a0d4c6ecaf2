package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;

/**
 * While the peer is down, messages queue and all arrive exactly once when it is back. (Gateways
 * killed with SIGKILL are the crash suite's and PromisesUnderKillTest's.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceTest {
    static SystemExchange exchange;
    static final byte[] MANIFEST = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();

    @BeforeAll
    static void start() {
        exchange = SystemExchange.start("resilience");
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    @Order(1)
    void while_the_peer_is_down_messages_queue_and_all_arrive_exactly_once_when_it_is_back() {
        exchange.stop(Country.MX);
        AgencyConnection cbp = exchange.agency(Country.US, "CBP");
        Set<String> accepted = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            AgencyConnection.Answer a = cbp.submit(MANIFEST);
            assertThat(a.status()).isEqualTo(202);
            accepted.add(a.json().get("messageId").asText());
        }
        String one = accepted.iterator().next();
        assertThat(cbp.status(one).json().path("state").asText()).isEqualTo("PENDING");
        exchange.restart(Country.MX);
        Map<String, Integer> seen = exchange.awaitMailbox(Country.MX, "ANAM", accepted, Duration.ofSeconds(60));
        assertThat(seen.keySet()).containsAll(accepted);
        accepted.forEach(id -> assertThat(seen.get(id)).isEqualTo(1));
        ackAll(seen.keySet());
    }

    private static void ackAll(Set<String> ids) {
        AgencyConnection anam = exchange.agency(Country.MX, "ANAM");
        ids.forEach(anam::acknowledge);
    }
}
