package org.puente.routes.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.routes.testing.Browser;
import org.puente.routes.testing.OperatorProxy;
import org.puente.routes.testing.Poll;

/**
 * The operators' dashboard in a real headless Chromium: it loads without a console error (its
 * Content-Security-Policy included), its numbers follow live traffic, and a click on "Suspend
 * delivery" really stops delivery to the peer. The browser reaches the operations listener as the
 * operator through {@link OperatorProxy} (see there why). A screenshot is left in
 * {@code target/ops/dashboard.png} (the one in docs/ops/ comes from this test).
 */
class DashboardBrowserTest {
    @TempDir
    static Path dir;
    static OpsGateways gateways;
    static OperatorProxy proxy;

    @BeforeAll
    static void start() {
        assumeTrue(Browser.installed(),
                "chromium and chromedriver are not installed (Debian packages chromium, chromium-driver; .ci/run installs them)");
        gateways = OpsGateways.start(dir, Map.of());
        proxy = new OperatorProxy(gateways.operator, "https://localhost:" + gateways.us.ports().ops());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (gateways != null) {
            gateways.operator.post("/ops/v1/delivery/resume", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            gateways.close();
        }
    }

    @Test
    void the_dashboard_follows_live_traffic_without_console_errors_and_its_suspend_button_stops_delivery()
            throws Exception {
        Path out = Files.createDirectories(Path.of("target", "ops"));
        try (Browser browser = Browser.start(dir.resolve("chromium-profile"), out.resolve("chromedriver.log"), 1400, 2000)) {
            browser.open(proxy.base() + "/ops/v1/dashboard");
            assertThat(awaitText(browser, "#updated", t -> !"never".equals(t))).as("the page rendered the state").isPresent();
            assertThat(browser.text("#gateway")).contains("gateway.us.puente.sample");
            assertThat(Poll.until(Duration.ofSeconds(40), () -> Optional.of(browser.text("#peer-state"))
                    .filter("UP"::equals))).as("the peer link shows up once pinged").isPresent();
            long acceptedBefore = number(browser.text("#total-accepted"));
            long sentBefore = number(browser.text("#total-sent"));
            long rejectedBefore = number(browser.text("#total-rejected"));

            for (int i = 0; i < 3; i++) {
                gateways.submit(OpsGateways.manifest(null));
            }
            assertThat(gateways.cbp.post("/api/v1/messages", "{\"messageType\":\"cargo.manifest\"}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
            assertThat(awaitText(browser, "#total-accepted", t -> number(t) >= acceptedBefore + 3))
                    .as("accepted count follows the traffic").isPresent();
            assertThat(awaitText(browser, "#total-sent", t -> number(t) >= sentBefore + 3))
                    .as("receipted count follows the traffic").isPresent();
            assertThat(awaitText(browser, "#total-rejected", t -> number(t) >= rejectedBefore + 1)).isPresent();
            assertThat(awaitText(browser, "#refusals", t -> t.contains("required_field_missing")))
                    .as("the refusal is listed with its code").isPresent();
            assertThat(number(browser.text("#hour-accepted"))).isGreaterThanOrEqualTo(3);

            browser.type("#suspend-reason", "browser test");
            browser.click("#suspend");
            assertThat(awaitText(browser, "#delivery-state", "SUSPENDED"::equals)).isPresent();
            assertThat(gateways.us.gateway().operatorActions().state().suspended()).isTrue();
            NotifyBuilder cycles = new NotifyBuilder(gateways.us.context()).fromRoute("work-peer-envelope").whenCompleted(5)
                    .create();
            String held = gateways.submit(OpsGateways.manifest(null));
            assertThat(cycles.matches(20, TimeUnit.SECONDS)).isTrue();
            assertThat(gateways.state(held)).as("nothing is sent while suspended").isEqualTo("PENDING");
            assertThat(gateways.inAnamMailbox(held)).isFalse();
            assertThat(gateways.usAudit("ROUTE_SUSPENDED")).anySatisfy(line -> assertThat(line)
                    .startsWith("CN=US operator").contains("browser test"));

            String expiring = gateways.submit(OpsGateways.manifest("PT4S"));
            assertThat(awaitText(browser, "#dead-letter-list", t -> t.contains(expiring)))
                    .as("the expired message is listed while delivery is suspended").isPresent();
            assertThat(awaitText(browser, "#outbox-depth", t -> number(t) >= 1)).isPresent();
            Files.write(out.resolve("dashboard.png"), browser.screenshot());

            // Resume first: the re-driven message has its time-to-live (4 s) again from the re-drive.
            browser.click("#resume");
            assertThat(awaitText(browser, "#delivery-state", "RUNNING"::equals)).isPresent();
            browser.click("#dead-letter-list button.redrive");
            assertThat(gateways.awaitState(held, "RECEIPTED", Duration.ofSeconds(30))).isIn("RECEIPTED", "DELIVERED");
            assertThat(gateways.awaitState(expiring, "RECEIPTED", Duration.ofSeconds(30))).isIn("RECEIPTED", "DELIVERED");

            assertThat(browser.consoleErrors()).as("console errors").isEmpty();
        }
    }

    private static Optional<String> awaitText(Browser browser, String css, java.util.function.Predicate<String> ok) {
        return Poll.until(Duration.ofSeconds(20), () -> Optional.of(browser.text(css)).filter(ok));
    }

    private static long number(String text) {
        String digits = text.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }
}
