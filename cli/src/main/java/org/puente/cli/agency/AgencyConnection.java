package org.puente.cli.agency;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.puente.model.CanonicalJson;

/**
 * A simulated agency back-end (or operator, or auditor) talking to its country's gateway over
 * mutual TLS with its client certificate: what the demo, the load generator and the system tests
 * use, and what an integrating engineer's code looks like.
 */
public final class AgencyConnection {
    private final HttpClient http;
    private final URI base;

    /** A gateway answer: status and body. */
    public record Answer(int status, byte[] body) {
        public JsonNode json() {
            try {
                return CanonicalJson.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + new String(body, java.nio.charset.StandardCharsets.UTF_8), e);
            }
        }

        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public AgencyConnection(Path clientP12, char[] password, Path trustedRoot, URI base, Executor executor) {
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(sslContext(clientP12, password, trustedRoot))
                .connectTimeout(Duration.ofSeconds(10));
        if (executor != null) {
            b.executor(executor);
        }
        this.http = b.build();
        this.base = base;
    }

    public static SSLContext sslContext(Path clientP12, char[] password, Path trustedRoot) {
        try (InputStream in = Files.newInputStream(clientP12); InputStream root = Files.newInputStream(trustedRoot)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("root", CertificateFactory.getInstance("X.509").generateCertificate(root));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load client credentials " + clientP12 + ": " + e.getMessage(), e);
        }
    }

    public URI base() {
        return base;
    }

    public Answer submit(byte[] document) {
        return post("/api/v1/messages", document);
    }

    public Answer submit(byte[] document, String idempotencyKey) {
        return send(request("/api/v1/messages").header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofByteArray(document)));
    }

    public CompletableFuture<Answer> submitAsync(byte[] document) {
        return http.sendAsync(request("/api/v1/messages").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(document)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> new Answer(r.statusCode(), r.body()));
    }

    public Answer submitBatch(byte[] batchDocument) {
        return post("/api/v1/messages/batch", batchDocument);
    }

    public Answer status(String messageId) {
        return get("/api/v1/messages/" + messageId);
    }

    public Answer inbox(long after, int limit) {
        return get("/api/v1/inbox?after=" + after + "&limit=" + limit);
    }

    public Answer payload(String messageId) {
        return get("/api/v1/inbox/" + messageId + "/payload");
    }

    public Answer acknowledge(String messageId) {
        return post("/api/v1/inbox/" + messageId + "/ack", new byte[0]);
    }

    public Answer get(String path) {
        return send(request(path).GET());
    }

    public Answer post(String path, byte[] json) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    }

    public Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
