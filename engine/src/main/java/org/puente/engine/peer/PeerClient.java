package org.puente.engine.peer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.engine.security.CertificateNames;
import org.puente.engine.security.TlsContexts;

/**
 * HTTPS client of the peer gateway's API: mutual TLS with the gateway's TLS key, the peer's root
 * as the only trust, HTTP/2 over one reused connection (a full TLS handshake costs ~4 ms here,
 * a request on a live connection ~0.1 ms), and a check that the server is the expected peer
 * gateway by name.
 */
public final class PeerClient {
    private final HttpClient http;
    private final URI base;
    private final String expectedPeerName;
    private static final long MIB = 1024 * 1024;
    private final Duration requestTimeout;
    private final Duration requestTimeoutPerMib;
    private final ObjectMapper json = CanonicalJson.mapper();

    /**
     * @param requestTimeoutPerMib added to {@code requestTimeout} for each whole MiB of envelopes in a
     *                             batch: a large envelope takes longer to send and to judge, and a
     *                             timeout shorter than that would have every retry fail the same way
     */
    public PeerClient(SSLContext tls, URI base, String expectedPeerName, Duration connectTimeout, Duration requestTimeout,
                      Duration requestTimeoutPerMib, Executor executor) {
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .sslParameters(TlsContexts.clientParameters(tls))
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
        this.base = base;
        this.expectedPeerName = expectedPeerName;
        this.requestTimeout = requestTimeout;
        this.requestTimeoutPerMib = requestTimeoutPerMib;
    }

    public PeerCall<PeerProtocol.ResultBatch> sendEnvelopes(PeerProtocol.EnvelopeBatch batch) {
        long bytes = batch.envelopes().stream().mapToLong(e -> e.envelope().length).sum();
        return post(PeerProtocol.ENVELOPES_PATH, batch, batch.jsonSizeHint(),
                timeoutFor(requestTimeout, requestTimeoutPerMib, bytes), PeerProtocol.ResultBatch.class);
    }

    /** How long a request carrying {@code envelopeBytes} of envelopes may wait for its answer. */
    static Duration timeoutFor(Duration base, Duration perMib, long envelopeBytes) {
        return base.plus(perMib.multipliedBy(envelopeBytes / MIB));
    }

    public PeerCall<PeerProtocol.NoticeAnswer> sendNotices(PeerProtocol.NoticeBatch batch) {
        return post(PeerProtocol.NOTICES_PATH, batch, PeerProtocol.NoticeAnswer.class);
    }

    /** Signed withdrawals of messages this gateway sent (cancel, replace). */
    public PeerCall<PeerProtocol.NoticeAnswer> sendWithdrawals(PeerProtocol.NoticeBatch batch) {
        return post(PeerProtocol.WITHDRAWALS_PATH, batch, PeerProtocol.NoticeAnswer.class);
    }

    public PeerCall<PeerProtocol.Pong> ping(PeerProtocol.Ping ping) {
        return post(PeerProtocol.PING_PATH, ping, PeerProtocol.Pong.class);
    }

    public PeerCall<PeerProtocol.ReconciliationAnswer> reconcile(PeerProtocol.Reconciliation report) {
        return post(PeerProtocol.RECONCILIATION_PATH, report, PeerProtocol.ReconciliationAnswer.class);
    }

    public PeerCall<PeerProtocol.KeyAnswer> announceKey(PeerProtocol.KeyAnnouncement announcement) {
        return post(PeerProtocol.KEYS_PATH, announcement, PeerProtocol.KeyAnswer.class);
    }

    /** One of this gateway's audit checkpoints, for the peer to witness. */
    public PeerCall<PeerProtocol.WitnessAnswer> witness(PeerProtocol.WitnessRequest request) {
        return post(PeerProtocol.CHECKPOINTS_PATH, request, PeerProtocol.WitnessAnswer.class);
    }

    private <T> PeerCall<T> post(String path, Object body, Class<T> answerType) {
        return post(path, body, 1024, requestTimeout, answerType);
    }

    /**
     * @param sizeHint the body's expected size in JSON: it is written into one array of that size
     *                 and sent from it, where {@code writeValueAsBytes} would hold its segments and
     *                 their copy at once (twice the base64 of a 32 MiB envelope)
     */
    private <T> PeerCall<T> post(String path, Object body, int sizeHint, Duration timeout, Class<T> answerType) {
        HttpResponse<byte[]> response;
        try {
            Body out = new Body(sizeHint);
            json.writeValue(out, body);
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(out.publisher())
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return PeerCall.retry(ErrorCode.PEER_UNREACHABLE, e.getClass().getSimpleName());
        } catch (HttpTimeoutException e) {
            return PeerCall.retry(ErrorCode.PEER_TIMEOUT, "no answer within " + timeout);
        } catch (IOException e) {
            return PeerCall.retry(ErrorCode.PEER_UNREACHABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PeerCall.retry(ErrorCode.PEER_UNREACHABLE, "interrupted");
        }
        String name = serverName(response);
        if (!expectedPeerName.equalsIgnoreCase(name)) {
            return PeerCall.retry(ErrorCode.UNEXPECTED_SIGNER_NAME, "TLS server is '" + name + "', expected '" + expectedPeerName + "'");
        }
        int status = response.statusCode();
        if (status == 200) {
            try {
                return PeerCall.answered(json.readValue(response.body(), answerType));
            } catch (IOException e) {
                return PeerCall.retry(ErrorCode.PEER_SERVER_ERROR, "unreadable answer: " + e.getClass().getSimpleName());
            }
        }
        String detail = "HTTP " + status + " " + errorCode(response.body());
        if (status == 400 || status == 413 || status == 415) {
            return PeerCall.noRetry(ErrorCode.PEER_SERVER_ERROR, detail);
        }
        return PeerCall.retry(status == 503 || status == 429 ? ErrorCode.PEER_UNREACHABLE : ErrorCode.PEER_SERVER_ERROR, detail);
    }

    /** A request body written in place, sent from its own array without a copy. */
    private static final class Body extends ByteArrayOutputStream {
        Body(int size) {
            super(size);
        }

        HttpRequest.BodyPublisher publisher() {
            return HttpRequest.BodyPublishers.ofByteArray(buf, 0, count);
        }
    }

    private String errorCode(byte[] body) {
        try {
            return json.readTree(body).path("code").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static String serverName(HttpResponse<?> response) {
        return response.sslSession().map(s -> {
            try {
                Certificate[] chain = s.getPeerCertificates();
                return CertificateNames.commonName((X509Certificate) chain[0]);
            } catch (SSLPeerUnverifiedException e) {
                return "";
            }
        }).orElse("");
    }
}
