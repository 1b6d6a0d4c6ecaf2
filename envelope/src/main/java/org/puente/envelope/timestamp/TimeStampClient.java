package org.puente.envelope.timestamp;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;
import org.puente.envelope.timestamp.TimeStampException.Reason;

/**
 * Asks an RFC 3161 time-stamping authority over HTTP (RFC 3161 3.4) to stamp a SHA-256 digest and
 * returns the token only after checking that it answers this request and verifies. Thread-safe.
 *
 * <p>Implementation note: every request carries a fresh random 64-bit nonce and certReq=true, so a
 * replayed or cached answer is refused ({@code MISMATCH}) and the token carries the TSA certificate
 * the verifier needs; the token is then verified by {@link TimeStampVerifier} before it is handed
 * out, so a caller never stores a token it could not verify later.
 */
public final class TimeStampClient {
    /** The media types of RFC 3161, 3.4. */
    public static final String QUERY_MEDIA_TYPE = "application/timestamp-query";
    public static final String REPLY_MEDIA_TYPE = "application/timestamp-reply";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_REPLY_BYTES = 64 * 1024;

    private final URI url;
    private final TimeStampVerifier verifier;
    private final Duration timeout;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    /** A client with the {@link #DEFAULT_TIMEOUT}. */
    public TimeStampClient(URI url, TimeStampVerifier verifier) {
        this(url, verifier, DEFAULT_TIMEOUT);
    }

    /**
     * @param url      the TSA's URL ({@code puente.audit.tsa-url})
     * @param verifier trusts the TSAs whose tokens are accepted
     * @param timeout  for connecting and for the whole answer
     */
    public TimeStampClient(URI url, TimeStampVerifier verifier, Duration timeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public URI url() {
        return url;
    }

    /**
     * Gets a verified time-stamp token over {@code sha256Digest}.
     *
     * @return the DER TimeStampToken, to be verified later with {@link TimeStampVerifier#verify(byte[], byte[])}
     * @throws TimeStampException {@code UNAVAILABLE}, {@code REFUSED}, {@code MISMATCH}, {@code INVALID_TOKEN},
     *     {@code UNTRUSTED_TSA} or {@code NOT_A_TSA}
     */
    public byte[] stamp(byte[] sha256Digest) {
        TimeStampVerifier.requireSha256(sha256Digest);
        BigInteger nonce = new BigInteger(64, random);
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, sha256Digest, nonce);
        TimeStampResponse response = parse(post(request));
        if (response.getStatus() != PKIStatus.GRANTED && response.getStatus() != PKIStatus.GRANTED_WITH_MODS) {
            throw new TimeStampException(Reason.REFUSED, "the TSA refused to stamp: status " + response.getStatus()
                    + (response.getStatusString() == null ? "" : " \"" + response.getStatusString() + "\"")
                    + (response.getFailInfo() == null ? "" : ", failInfo " + response.getFailInfo().intValue()));
        }
        TimeStampToken token = response.getTimeStampToken();
        if (token == null) {
            throw new TimeStampException(Reason.INVALID_TOKEN, "the TSA granted the request but sent no token");
        }
        TimeStampTokenInfo info = token.getTimeStampInfo();
        if (!nonce.equals(info.getNonce())) {
            throw new TimeStampException(Reason.MISMATCH, "the token does not carry the request's nonce");
        }
        if (!NISTObjectIdentifiers.id_sha256.equals(info.getMessageImprintAlgOID())
                || !MessageDigest.isEqual(info.getMessageImprintDigest(), sha256Digest)) {
            throw new TimeStampException(Reason.MISMATCH, "the token stamps another digest than the one sent");
        }
        verifier.verify(token, sha256Digest);
        try {
            return token.getEncoded();
        } catch (IOException e) {
            throw new TimeStampException(Reason.INVALID_TOKEN, "the token cannot be encoded", e);
        }
    }

    private byte[] post(TimeStampRequest request) {
        HttpResponse<byte[]> reply;
        try {
            HttpRequest http = HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", QUERY_MEDIA_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build();
            reply = this.http.send(http, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TimeStampException(Reason.UNAVAILABLE, "the TSA at " + url + " cannot be reached ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeStampException(Reason.UNAVAILABLE, "interrupted while waiting for the TSA at " + url, e);
        }
        int status = reply.statusCode();
        if (status >= 500 || status == 429) {
            throw new TimeStampException(Reason.UNAVAILABLE, "the TSA at " + url + " answered HTTP " + status);
        }
        if (status != 200) {
            throw new TimeStampException(Reason.REFUSED, "the TSA at " + url + " answered HTTP " + status);
        }
        String type = reply.headers().firstValue("Content-Type").orElse("");
        if (!type.toLowerCase(Locale.ROOT).startsWith(REPLY_MEDIA_TYPE)) {
            throw new TimeStampException(Reason.INVALID_TOKEN, "the TSA answered " + type + ", not " + REPLY_MEDIA_TYPE);
        }
        if (reply.body().length > MAX_REPLY_BYTES) {
            throw new TimeStampException(Reason.INVALID_TOKEN, "the TSA's answer is larger than " + MAX_REPLY_BYTES + " bytes");
        }
        return reply.body();
    }

    private static TimeStampResponse parse(byte[] body) {
        try {
            return new TimeStampResponse(body);
        } catch (TSPException | IOException | RuntimeException e) {
            throw new TimeStampException(Reason.INVALID_TOKEN, "the TSA's answer is not a TimeStampResp", e);
        }
    }
}
