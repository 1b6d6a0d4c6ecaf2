package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Nothing accepted with a 202 is lost or delivered twice: while the peer is down messages queue
 * and all arrive once it is back; a gateway killed with SIGKILL in the middle of a stream of
 * submissions delivers, after restart, every message it had accepted, exactly once.
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

    @Test
    @Order(2)
    void a_sending_gateway_killed_mid_stream_delivers_every_accepted_message_exactly_once_after_restart()
            throws Exception {
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger inDoubt = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            AgencyConnection cbp = exchange.agency(Country.US, "CBP");
            Thread th = new Thread(() -> {
                while (running.get()) {
                    try {
                        AgencyConnection.Answer a = cbp.submit(MANIFEST);
                        if (a.status() == 202) {
                            accepted.add(a.json().get("messageId").asText());
                        }
                    } catch (RuntimeException e) {
                        inDoubt.incrementAndGet();
                        return;
                    }
                }
            });
            th.start();
            submitters.add(th);
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (accepted.size() < 150 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        exchange.exchange.process(Country.US).kill();
        running.set(false);
        for (Thread th : submitters) {
            th.join(30_000);
        }
        assertThat(accepted).hasSizeGreaterThanOrEqualTo(150);
        System.out.printf("killed the US gateway (SIGKILL) with %d submissions accepted and %d in doubt%n",
                accepted.size(), inDoubt.get());
        exchange.restart(Country.US);
        Map<String, Integer> seen = exchange.awaitMailbox(Country.MX, "ANAM", accepted, Duration.ofSeconds(120));
        Set<String> missing = new HashSet<>(accepted);
        missing.removeAll(seen.keySet());
        assertThat(missing).as("accepted with 202 but never delivered").isEmpty();
        accepted.forEach(id -> assertThat(seen.get(id)).as(id).isEqualTo(1));
        assertThat(seen.size()).as("mailbox holds only accepted or in-doubt submissions")
                .isLessThanOrEqualTo(accepted.size() + inDoubt.get());
        ackAll(seen.keySet());
    }

    @Test
    @Order(3)
    void a_receiving_gateway_killed_mid_stream_loses_nothing_it_receipted() throws Exception {
        AgencyConnection cbp = exchange.agency(Country.US, "CBP");
        Set<String> accepted = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            AgencyConnection.Answer a = cbp.submit(MANIFEST);
            assertThat(a.status()).isEqualTo(202);
            accepted.add(a.json().get("messageId").asText());
            if (i == 30) {
                exchange.exchange.process(Country.MX).kill();
            }
        }
        exchange.restart(Country.MX);
        Map<String, Integer> seen = exchange.awaitMailbox(Country.MX, "ANAM", accepted, Duration.ofSeconds(120));
        assertThat(seen.keySet()).containsAll(accepted);
        accepted.forEach(id -> assertThat(seen.get(id)).isEqualTo(1));
    }

    private static void ackAll(Set<String> ids) {
        AgencyConnection anam = exchange.agency(Country.MX, "ANAM");
        ids.forEach(anam::acknowledge);
    }
}
