package org.puente.envelope.timestamp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.puente.envelope.PuenteOids;
import org.puente.envelope.keys.TimeStampSigningKey;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * A small RFC 3161 time-stamping authority over HTTP (RFC 3161 3.4) for tests and demos: Bouncy
 * Castle's token generator with the sample PKI's TSA key, served by the JDK's {@code HttpServer} on
 * the loopback address, with an outage switch ({@link #setAvailable}) for tests of what the gateway
 * does when its TSA is down. SAMPLE ONLY: its key is public and its clock is the host's.
 *
 * <p>It stamps SHA-256 imprints only (others are answered with a rejection, failInfo badAlg), under
 * the policy {@link PuenteOids#SAMPLE_TSA_POLICY} (a request naming another policy is rejected,
 * unacceptedPolicy), with an accuracy of one second, and puts the TSA certificate and its issuing
 * CA in the token when the request sets certReq.
 *
 * <p>Implementation note: serial numbers start at the clock's milliseconds times 1,000 and count
 * up by one per token, so they increase within a run and do not repeat across restarts unless more
 * than a thousand tokens a millisecond were issued. Tokens are signed one at a time (the generator
 * is not documented as thread-safe; a sample TSA needs no throughput).
 */
public final class SampleTimeStampAuthority implements AutoCloseable {
    private static final int MAX_QUERY_BYTES = 16 * 1024;

    private final TimeStampResponseGenerator responder;
    private final Clock clock;
    private final AtomicLong serials;
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final HttpServer server;
    private volatile boolean started;

    /** A TSA on {@code port} of the loopback address (0: an ephemeral port) with the system clock. */
    public SampleTimeStampAuthority(TimeStampSigningKey key, int port) {
        this(key, port, Clock.systemUTC());
    }

    /**
     * @param key   the TSA key and chain (its certificate must have the critical timeStamping-only EKU)
     * @param port  the port to bind on 127.0.0.1; 0 for an ephemeral one ({@link #url()} tells which)
     * @param clock the genTime of every token
     * @throws PuenteException {@code configuration_invalid} if the certificate is not a TSA's or the port is taken
     */
    public SampleTimeStampAuthority(TimeStampSigningKey key, int port, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.serials = new AtomicLong(clock.millis() * 1000);
        try {
            TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(key.signerInfoGenerator(),
                    new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                    PuenteOids.SAMPLE_TSA_POLICY);
            tokens.setAccuracySeconds(1);
            tokens.addCertificates(new JcaCertStore(withoutRoot(key.chain())));
            this.responder = new TimeStampResponseGenerator(tokens, Set.of(TSPAlgorithms.SHA256),
                    Set.of(PuenteOids.SAMPLE_TSA_POLICY.getId()));
        } catch (TSPException | IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e,
                    "the TSA certificate is not fit for time-stamping (" + e.getMessage() + ")");
        } catch (OperatorCreationException | CertificateEncodingException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "the TSA cannot be set up (" + e.getMessage() + ")");
        }
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "the sample TSA cannot listen on port " + port);
        }
        server.createContext("/", this::handle);
    }

    /** Starts serving; returns this, so that {@code new SampleTimeStampAuthority(key, 0).start()} reads as one step. */
    public SampleTimeStampAuthority start() {
        server.start();
        started = true;
        return this;
    }

    /** The URL to give {@link TimeStampClient} (and {@code puente.audit.tsa-url}), e.g. {@code http://127.0.0.1:41234/}. */
    public URI url() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/");
    }

    /** {@code false} simulates an outage: every request is answered HTTP 503 until it is set back. */
    public void setAvailable(boolean available) {
        this.available.set(available);
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        if (started) {
            server.stop(0);
            started = false;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!available.get()) {
                reply(exchange, 503, null);
            } else if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                reply(exchange, 405, null);
            } else if (!String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).toLowerCase(Locale.ROOT)
                    .startsWith(TimeStampClient.QUERY_MEDIA_TYPE)) {
                reply(exchange, 415, null);
            } else {
                byte[] query = readQuery(exchange.getRequestBody());
                if (query == null) {
                    reply(exchange, 413, null);
                } else {
                    reply(exchange, 200, answer(query));
                }
            }
        }
    }

    private byte[] answer(byte[] query) throws IOException {
        try {
            TimeStampResponse response;
            try {
                TimeStampRequest request = new TimeStampRequest(query);
                synchronized (responder) {
                    // badAlg, unacceptedPolicy and the like come back as a rejection, not as an exception
                    response = responder.generate(request, BigInteger.valueOf(serials.incrementAndGet()),
                            Date.from(clock.instant()));
                }
            } catch (IOException | IllegalArgumentException e) {
                response = responder.generateFailResponse(PKIStatus.REJECTION, PKIFailureInfo.badDataFormat,
                        "not a TimeStampReq");
            }
            return response.getEncoded();
        } catch (TSPException e) {
            throw new IOException("the sample TSA cannot answer", e);
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", TimeStampClient.REPLY_MEDIA_TYPE);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] readQuery(InputStream in) throws IOException {
        byte[] query = in.readNBytes(MAX_QUERY_BYTES + 1);
        return query.length > MAX_QUERY_BYTES ? null : query;
    }

    private static List<X509Certificate> withoutRoot(List<X509Certificate> chain) {
        X509Certificate last = chain.get(chain.size() - 1);
        boolean selfIssued = chain.size() > 1 && last.getSubjectX500Principal().equals(last.getIssuerX500Principal());
        return selfIssued ? chain.subList(0, chain.size() - 1) : chain;
    }
}
