package org.puente.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.puente.model.CanonicalJson;
import org.puente.routes.api.AgencyHandler;
import org.puente.routes.api.ApiRequest;
import org.puente.engine.api.Json;
import org.puente.engine.security.TlsContexts;

/**
 * The benchmark baseline, not a gateway: the same listeners, mutual TLS and API shape as a Puente
 * gateway, relaying each submission to the other side over HTTPS — but without validation,
 * signing, encryption, persistence or audit. {@code puente load --relay} runs the same load through
 * it to show what the security and the durability cost (docs/BENCHMARKS.md).
 */
public final class PlainRelay {
    private record Stored(UUID id, String createdAt, Instant receivedAt, byte[] document) {
    }

    private final HttpClient http;
    private final URI peer;
    private final ConcurrentSkipListMap<Long, Stored> mailbox = new ConcurrentSkipListMap<>();
    private final AtomicLong seq = new AtomicLong();

    public PlainRelay(SSLContext tls, URI peer) {
        this.http = HttpClient.newBuilder().sslContext(tls).sslParameters(TlsContexts.clientParameters(tls))
                .version(HttpClient.Version.HTTP_2).build();
        this.peer = peer;
    }

    /** Agency side: stamp an id and a time, forward synchronously, answer 202 when the other side has it. */
    public Response submit(ApiRequest r) throws IOException, InterruptedException {
        UUID id = UUID.randomUUID();
        String created = Instant.now().toString();
        HttpResponse<Void> forwarded = http.send(HttpRequest.newBuilder(peer.resolve("/peer/v1/envelopes"))
                .header("Content-Type", "application/json").header("Relay-Id", id.toString()).header("Relay-Created", created)
                .POST(HttpRequest.BodyPublishers.ofByteArray(r.body())).build(), HttpResponse.BodyHandlers.discarding());
        if (forwarded.statusCode() != 200) {
            return Response.status(502).build();
        }
        return Response.accepted(Json.write(Map.of("messageId", id.toString(), "status", "ACCEPTED")))
                .type(AgencyHandler.JSON).build();
    }

    /** Peer side: keep the message in memory. */
    public Response receive(ApiRequest r) {
        UUID id = UUID.fromString(r.param("Relay-Id").orElseThrow());
        Stored stored = new Stored(id, r.param("Relay-Created").orElseThrow(), Instant.now(), r.body());
        // numbering and storing as one step: a reader paging with "after" must never see 11 before 10
        synchronized (mailbox) {
            mailbox.put(seq.incrementAndGet(), stored);
        }
        return Response.ok(Json.write(Map.of("results", List.of())), AgencyHandler.JSON).build();
    }

    /** Agency side of the receiver: the mailbox page, in the gateway's JSON shape. */
    public Response inbox(ApiRequest r) {
        long after = r.param("after").map(Long::parseLong).orElse(0L);
        int limit = r.param("limit").map(Integer::parseInt).orElse(50);
        List<Map.Entry<Long, Stored>> page = new ArrayList<>(mailbox.tailMap(after, false).entrySet());
        page = page.subList(0, Math.min(limit, page.size()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = CanonicalJson.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("messages");
            for (Map.Entry<Long, Stored> e : page) {
                g.writeStartObject();
                g.writeStringField("messageId", e.getValue().id().toString());
                g.writeNumberField("mailboxSeq", e.getKey());
                g.writeStringField("receivedAt", e.getValue().receivedAt().toString());
                g.writeObjectFieldStart("header");
                g.writeStringField("createdAt", e.getValue().createdAt());
                g.writeEndObject();
                g.writeFieldName("message");
                g.writeRawValue(new String(e.getValue().document(), StandardCharsets.UTF_8));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("next", page.isEmpty() ? after : page.get(page.size() - 1).getKey());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.ok(out.toByteArray(), AgencyHandler.JSON).build();
    }

    /** Payload probe of the load warm-up: every stored message "exists". */
    public Response payload(ApiRequest r) {
        return Response.ok("{}".getBytes(StandardCharsets.UTF_8), AgencyHandler.JSON).build();
    }

    /** Readiness and liveness: the relay is up when it answers. */
    public Response ready(ApiRequest r) {
        return Response.ok("{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8), AgencyHandler.JSON).build();
    }

    public Response acknowledge(ApiRequest r) {
        String id = r.param("id").orElse("");
        mailbox.values().removeIf(m -> m.id().toString().equals(id));
        return Response.ok("{}".getBytes(StandardCharsets.UTF_8), AgencyHandler.JSON).build();
    }
}
