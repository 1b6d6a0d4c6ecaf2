package org.puente.routes.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A real headless Chromium driven through chromedriver's W3C WebDriver HTTP API with the JDK's
 * HTTP client: no Selenium, no new dependency. Debian's {@code chromium} and
 * {@code chromium-driver} packages provide both programs ({@code .ci/run} installs them).
 */
public final class Browser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String session;

    private Browser(Process driver, String base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    /** Whether Chromium and chromedriver are installed. */
    public static boolean installed() {
        return Files.isExecutable(CHROMIUM) && chromedriver().isPresent();
    }

    private static Optional<Path> chromedriver() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "chromedriver");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts chromedriver and a headless Chromium with a fresh profile in {@code profile}, with
     * the flags that keep it quiet and offline (no background networking, no QUIC, no component
     * updates, no sync), and its console collected.
     */
    public static Browser start(Path profile, Path driverLog, int width, int height) {
        int port = GatewayHarness.freePort();
        Process p;
        try {
            p = new ProcessBuilder(chromedriver().orElseThrow().toString(), "--port=" + port)
                    .redirectErrorStream(true).redirectOutput(driverLog.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start chromedriver", e);
        }
        String base = "http://127.0.0.1:" + port;
        HttpClient probe = HttpClient.newHttpClient();
        boolean up = Poll.until(Duration.ofSeconds(20), () -> {
            try {
                HttpResponse<String> r = probe.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? Optional.of(true) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }).isPresent();
        if (!up) {
            p.destroyForcibly();
            throw new IllegalStateException("chromedriver did not start; see " + driverLog);
        }
        ObjectNode options = JSON.createObjectNode();
        options.put("binary", CHROMIUM.toString());
        ArrayNode args = options.putArray("args");
        for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height, "--user-data-dir=" + profile)) {
            args.add(a);
        }
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        always.set("goog:chromeOptions", options);
        always.putObject("goog:loggingPrefs").put("browser", "ALL");
        Browser unstarted = new Browser(p, base, null);
        JsonNode created = unstarted.call("POST", "/session", caps);
        return new Browser(p, base, created.path("sessionId").asText());
    }

    public void open(String url) {
        command("POST", "/url", JSON.createObjectNode().put("url", url));
    }

    /** Clicks the element like a user (chromedriver checks it is visible and enabled first). */
    public void click(String css) {
        command("POST", "/element/" + element(css) + "/click", JSON.createObjectNode());
    }

    public String text(String css) {
        return command("GET", "/element/" + element(css) + "/text", null).asText();
    }

    public void type(String css, String keys) {
        command("POST", "/element/" + element(css) + "/value", JSON.createObjectNode().put("text", keys));
    }

    /** Runs a script in the page and returns its result. */
    public JsonNode script(String js) {
        ObjectNode body = JSON.createObjectNode().put("script", js);
        body.putArray("args");
        return command("POST", "/execute/sync", body);
    }

    public byte[] screenshot() {
        return Base64.getDecoder().decode(command("GET", "/screenshot", null).asText());
    }

    /** Console and network messages of level SEVERE (errors) since the last call. */
    public List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        for (JsonNode entry : command("POST", "/se/log", JSON.createObjectNode().put("type", "browser"))) {
            if ("SEVERE".equals(entry.path("level").asText())) {
                errors.add(entry.path("source").asText() + ": " + entry.path("message").asText());
            }
        }
        return errors;
    }

    private String element(String css) {
        ObjectNode q = JSON.createObjectNode().put("using", "css selector").put("value", css);
        return command("POST", "/element", q).path(ELEMENT).asText();
    }

    private JsonNode command(String method, String path, JsonNode body) {
        return call(method, "/session/" + session + path, body);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + path + ": " + r.statusCode() + " "
                        + answer.path("value").path("message").asText());
            }
            return answer.path("value");
        } catch (IOException e) {
            throw new IllegalStateException("WebDriver " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                driver.destroyForcibly();
            }
        }
    }
}
