package org.puente.routes.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.Country;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.RawHttps;

/**
 * The gateway's budget for request bodies in its heap, attacked at the listener: a body that
 * does not fit what other requests hold is answered {@code 429 overloaded} before a byte of it is
 * read, however it is sent; the share comes back when the request that held it ends, even when
 * its client drops the connection halfway; and a body larger than the whole budget (but within the
 * listener's limit) still passes when it is alone.
 */
class RequestBodyBudgetTest {
    private static final long KIB = 1024;
    /** The listener's limit on a body. */
    private static final long LIMIT = 1024 * KIB;
    /** The processing budget, and with it the body budget. */
    private static final long BUDGET = 256 * KIB;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static GatewayHarness us;

    @BeforeAll
    static void start() throws IOException {
        us = GatewayHarness.aloneOnNewPki(dir, Map.of(
                "puente.limits.agency-request-bytes", String.valueOf(LIMIT),
                "puente.limits.processing-bytes", String.valueOf(BUDGET)));
    }

    @AfterAll
    static void stop() {
        if (us != null) {
            us.close();
        }
    }

    @Test
    void while_one_body_holds_most_of_the_budget_another_is_answered_429_unread_and_gets_through_once_the_first_is_dropped()
            throws IOException {
        RawHttps.Answer refused;
        try (Closeable holding = RawHttps.unfinished(cbp(), us.ports().agency(), "POST", "/api/v1/messages",
                "application/json", 200 * KIB, 1024)) {
            refused = until(() -> declared(100 * KIB), a -> a.status() == 429);

            assertThat(refused.status()).as(refused.text()).isEqualTo(429);
            assertThat(code(refused)).isEqualTo("overloaded");
            assertThat(refused.continued()).as("100 Continue granted").isFalse();
            assertThat(refused.bodyBytesSent()).isZero();
        }
        // the first client dropped its connection halfway through its body: its share must come back
        RawHttps.Answer after = until(() -> declared(100 * KIB), a -> a.status() != 429);

        assertThat(after.status()).as(after.text()).isNotEqualTo(429);
        assertThat(after.continued()).as("read this time").isTrue();
    }

    @Test
    void a_body_of_undeclared_length_is_answered_429_overloaded_where_it_passes_what_is_left() throws IOException {
        RawHttps.Answer refused;
        try (Closeable holding = RawHttps.unfinished(cbp(), us.ports().agency(), "POST", "/api/v1/messages",
                "application/json", 200 * KIB, 1024)) {
            until(() -> declared(100 * KIB), a -> a.status() == 429);
            refused = RawHttps.chunked(cbp(), us.ports().agency(), "POST", "/api/v1/messages", "application/json",
                    512 * KIB);
        }

        assertThat(refused.status()).as(refused.text()).isEqualTo(429);
        assertThat(code(refused)).isEqualTo("overloaded");
    }

    @Test
    void a_body_larger_than_the_whole_budget_is_read_when_it_is_alone_and_refused_unread_beside_another()
            throws IOException {
        RawHttps.Answer alone = until(() -> declared(512 * KIB), a -> a.status() != 429);

        RawHttps.Answer beside;
        try (Closeable holding = RawHttps.unfinished(cbp(), us.ports().agency(), "POST", "/api/v1/messages",
                "application/json", 8 * KIB, 1024)) {
            beside = until(() -> declared(512 * KIB), a -> a.status() == 429);
        }

        assertThat(alone.continued()).as("the large body alone is read").isTrue();
        assertThat(alone.status()).as(alone.text()).isNotEqualTo(429);
        assertThat(beside.status()).as(beside.text()).isEqualTo(429);
        assertThat(code(beside)).isEqualTo("overloaded");
        assertThat(beside.bodyBytesSent()).isZero();
    }

    @Test
    void while_a_body_larger_than_the_budget_is_read_requests_without_a_body_and_the_other_listeners_still_pass()
            throws IOException {
        AgencyClient cbp = AgencyClient.sample(dir.resolve("pki"), Country.US, "agency-cbp", us.ports().agency());
        AgencyClient operator = AgencyClient.sample(dir.resolve("pki"), Country.US, "operator", us.ports().ops());
        int inbox;
        int delivery;
        RawHttps.Answer beside;
        try (Closeable holding = RawHttps.unfinished(cbp(), us.ports().agency(), "POST", "/api/v1/messages",
                "application/json", 512 * KIB, 1024)) {
            beside = until(() -> declared(8 * KIB), a -> a.status() == 429);
            inbox = cbp.get("/api/v1/inbox").statusCode();
            delivery = operator.get("/ops/v1/delivery").statusCode();
        }

        assertThat(beside.status()).as("a body beside the larger one: " + beside.text()).isEqualTo(429);
        assertThat(inbox).as("the agency's GET, no body").isEqualTo(200);
        assertThat(delivery).as("the operations listener has its own budget").isEqualTo(200);
    }

    private static RawHttps.Answer declared(long length) {
        return RawHttps.declared(cbp(), us.ports().agency(), "POST", "/api/v1/messages", "application/json", length);
    }

    /** Asks again until the answer is the one expected or the wait is over (the guard runs on another thread). */
    private static RawHttps.Answer until(Supplier<RawHttps.Answer> ask, Predicate<RawHttps.Answer> expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        RawHttps.Answer a = ask.get();
        while (!expected.test(a) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return a;
            }
            a = ask.get();
        }
        return a;
    }

    private static SSLContext cbp() {
        return AgencyClient.sampleContext(dir.resolve("pki"), "us/agency-cbp.p12", "us");
    }

    private static String code(RawHttps.Answer a) {
        return ErrorHandlingRouteTest.json(a.body()).path("code").asText();
    }
}
