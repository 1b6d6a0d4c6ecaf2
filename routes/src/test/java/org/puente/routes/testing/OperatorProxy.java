package org.puente.routes.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test-only: lets a browser reach the operations listener as the operator. It listens on plain
 * HTTP on the loopback address and forwards each request over mutual TLS with the operator's
 * client certificate, copying back the status and the headers the page relies on (type and the
 * security headers).
 *
 * <p>Why a proxy rather than the certificate in the browser: headless Chromium picks a client
 * certificate only through an NSS database ({@code certutil}/{@code pk12util}, one more package)
 * plus an enterprise policy to auto-select it, which is system-wide state. The proxy keeps the
 * browser side a plain page load and the gateway side real mutual TLS with the real operator
 * certificate, and what the page sends (method, type, body) reaches the gateway unchanged.
 */
public final class OperatorProxy implements AutoCloseable {
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Content-Security-Policy",
            "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Cache-Control");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final AgencyClient operator;
    private final String target;

    public OperatorProxy(AgencyClient operator, String target) {
        this.operator = operator;
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    /** The browser-facing base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
                    .method(ex.getRequestMethod(), body.length == 0 && "GET".equals(ex.getRequestMethod())
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : List.of("Content-Type", "Accept", "Accept-Language")) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) {
                    b.header(h, v);
                }
            }
            HttpResponse<byte[]> r = operator.send(b);
            for (String h : RESPONSE_HEADERS) {
                r.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().set(h, v));
            }
            ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            if (r.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            }
        } catch (RuntimeException e) {
            ex.sendResponseHeaders(502, -1);
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
