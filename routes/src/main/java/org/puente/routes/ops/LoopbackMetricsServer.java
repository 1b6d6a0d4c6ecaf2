package org.puente.routes.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.camel.support.service.ServiceSupport;
import org.puente.model.CanonicalJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional plain-HTTP port for a Prometheus server on the same host
 * ({@code puente.listen.loopback-metrics-port}): bound to the loopback address only, it serves
 * {@code GET /metrics} (the same scrape as {@code /ops/v1/metrics}) and {@code GET /health/live}
 * and {@code /health/ready} (the same JSON). Nothing else: no dashboard, no control, no audit.
 *
 * <p>Implementation note: the JDK's HTTP server keeps this port independent of the mutual-TLS
 * listeners (CXF) and of Camel's embedded Vert.x server, which would bind every interface by
 * default; one thread is plenty for a scraper every few seconds.
 */
public final class LoopbackMetricsServer extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackMetricsServer.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final int port;
    private final Supplier<String> scrape;
    private final HealthReports health;
    private HttpServer server;
    private ExecutorService executor;

    public LoopbackMetricsServer(int port, Supplier<String> scrape, HealthReports health) {
        this.port = port;
        this.scrape = scrape;
        this.health = health;
    }

    @Override
    protected void doStart() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "puente-loopback-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("plain-HTTP metrics and health on {} (loopback only)", server.getAddress());
    }

    /** The bound address (the loopback address), once started. */
    public InetSocketAddress address() {
        return server == null ? null : server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            if (!"GET".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain; charset=utf-8", "only GET\n");
            } else if ("/metrics".equals(path)) {
                send(ex, 200, PROMETHEUS_TEXT, scrape.get());
            } else if ("/health/live".equals(path) || "/health/ready".equals(path)) {
                HealthReports.HealthReport r = path.endsWith("live") ? health.liveness() : health.readiness();
                send(ex, r.up() ? 200 : 503, "application/json",
                        new String(CanonicalJson.bytes(OpsJson.health(r)), StandardCharsets.UTF_8));
            } else {
                send(ex, 404, "text/plain; charset=utf-8", "not found\n");
            }
        } catch (RuntimeException e) {
            LOG.warn("loopback metrics request failed: {}", e.getClass().getSimpleName());
        } finally {
            ex.close();
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
