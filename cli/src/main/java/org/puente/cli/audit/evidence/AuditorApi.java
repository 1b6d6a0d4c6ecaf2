package org.puente.cli.audit.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.puente.model.CanonicalJson;

/** GETs JSON from a gateway's auditor API (operations listener, mutual TLS with the auditor certificate). */
final class AuditorApi {
    /** An answer: its HTTP status and body ({@code code} and {@code message} for an error). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status == 200;
        }

        String error() {
            return "HTTP " + status + " " + body.path("code").asText("?") + ": " + body.path("message").asText("");
        }
    }

    private final HttpClient http;
    private final URI gateway;

    AuditorApi(URI gateway, SSLContext tls) {
        this.gateway = gateway;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).sslContext(tls).build();
    }

    Answer get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(gateway.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = r.body().length == 0 ? CanonicalJson.mapper().createObjectNode() : CanonicalJson.mapper().readTree(r.body());
        return new Answer(r.statusCode(), body);
    }
}
