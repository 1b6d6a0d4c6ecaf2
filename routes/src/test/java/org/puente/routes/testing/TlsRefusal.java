package org.puente.routes.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * Asserts that a listener refused a client during the TLS handshake, and nothing else, in two
 * ways. At the TLS level, a handshake with the client's TLS context ends in the fatal alert the
 * server sent (read before any byte of HTTP is written). At the HTTP level, the same client gets
 * no HTTP status at all, and fails with a TLS exception or with the connection closed under it. A
 * refused TCP connection, a timeout, an accepted handshake or an HTTP error fail the assertion, so
 * "some IOException" can no longer pass for a handshake refusal.
 *
 * <p>Implementation note: in TLS 1.3 the client has sent its Finished message before the server
 * judges the client's certificate, so the refusal reaches the client as an alert on its first
 * read, which the JDK reports as an {@code SSLException} "Received fatal alert: ...". The probe
 * reads before writing, so the alert is always there to read. An HTTP client, however, writes its
 * request at once; the server closes with that request unread, the close becomes a TCP reset, and
 * the reset may overtake the alert ("Connection reset"): for the HTTP client a closed connection
 * is therefore the other legitimate form of the refusal. The alert names why in TLS terms:
 * {@code bad_certificate} when no acceptable certificate was presented (none, or one of a CA the
 * listener does not trust: the client finds nothing to offer for the listener's list of CAs),
 * {@code certificate_unknown} when the chain was judged and failed (a revoked certificate: the
 * JDK server does not name revocation in the alert).
 */
public final class TlsRefusal {
    /** No acceptable certificate was presented: none, or one of a CA the listener does not trust. */
    public static final String BAD_CERTIFICATE = "bad_certificate";
    /** The chain was judged and refused, e.g. a certificate revoked by a CRL. */
    public static final String CERTIFICATE_UNKNOWN = "certificate_unknown";
    /** How {@link #probe} reports a handshake whose writes were cut off by the server's close. */
    private static final String CUT_OFF = "no TLS refusal: java.net.SocketException: ";
    private static final String ACCEPTED = "the handshake was accepted: the listener waits for a request";
    private static final String ALERT = "Received fatal alert: ";

    private TlsRefusal() {
    }

    /**
     * Asserts that the listener on localhost:{@code port} refuses {@code client} during the
     * handshake with {@code alert}, and that a request for {@code path} with the same client gets
     * no HTTP answer.
     */
    public static void assertRefusedDuringHandshake(SSLContext client, int port, String path, String alert) {
        assertThat(probeUntilRead(client, port)).as("what the listener on port %d did with the handshake", port)
                .isEqualTo(ALERT + alert);
        HttpResponse<byte[]> answer;
        try {
            answer = new AgencyClient(client, "https://localhost:" + port).get(path);
        } catch (UncheckedIOException e) {
            assertThat(refusal(e)).as("the HTTP client's failure is a refused handshake or a connection closed under it: %s",
                    chain(e)).isTrue();
            return;
        }
        fail("the TLS probe was refused, but an HTTP answer came back: " + answer.statusCode());
    }

    /**
     * Runs an HTTP call and asserts it got no HTTP status and failed in the handshake: with
     * {@code alert} when the client read the server's alert, or with the connection closed under it
     * (the reset that may overtake the alert once the client has written its request; the alert
     * cannot be checked then). Where the client's TLS context is at hand, prefer
     * {@link #assertRefusedDuringHandshake(SSLContext, int, String, String)}, which always reads the alert.
     */
    public static void assertRefusedDuringHandshake(Supplier<HttpResponse<byte[]>> call, String alert) {
        HttpResponse<byte[]> answer;
        try {
            answer = call.get();
        } catch (UncheckedIOException e) {
            assertThat(refusal(e)).as("the failure is a refused handshake or a connection closed under it: %s", chain(e))
                    .isTrue();
            SSLException tls = tlsFailure(e);
            if (tls != null) {
                assertThat(tls.getMessage()).as("the alert the server sent; chain: %s", chain(e))
                        .isEqualTo(ALERT + alert);
            }
            return;
        }
        fail("expected a refused TLS handshake (alert " + alert + "), but an HTTP answer came back: " + answer.statusCode());
    }

    /**
     * The alert the listener on localhost:{@code port} refused {@code client} with during the
     * handshake (e.g. {@link #CERTIFICATE_UNKNOWN}), or null if it accepted the handshake and waits
     * for a request. Read as {@link #assertRefusedDuringHandshake(SSLContext, int, String, String)}
     * reads it, tried again while the server's close cut off the client's own handshake writes.
     */
    public static String handshakeAlert(SSLContext client, int port) {
        String seen = probeUntilRead(client, port);
        if (seen.equals(ACCEPTED)) {
            return null;
        }
        assertThat(seen).as("what the listener on port %d did with the handshake", port).startsWith(ALERT);
        return seen.substring(ALERT.length());
    }

    /**
     * The probe, again while the client's own handshake writes were cut off ("Broken pipe",
     * "Connection reset" during the handshake): the server judges a TLS 1.3 client's certificate as
     * it arrives and may refuse and close before the client has written its CertificateVerify and
     * Finished, and the reset then discards the alert unread (seen under CPU contention). Anything
     * else, an accepted handshake above all, is the answer at once; five cut-off tries in a row are
     * reported as such.
     */
    private static String probeUntilRead(SSLContext client, int port) {
        String seen = probe(client, port);
        for (int tries = 1; tries < 5 && seen.startsWith(CUT_OFF); tries++) {
            seen = probe(client, port);
        }
        return seen;
    }

    /** A handshake and a first read, writing nothing: the alert the server sent, or what happened instead. */
    private static String probe(SSLContext client, int port) {
        boolean handshaken = false;
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            handshaken = true;
            // in TLS 1.3 the server judges the client's certificate after the client's Finished: its alert comes now
            socket.setSoTimeout(2_000);
            int first = socket.getInputStream().read();
            return first < 0 ? "the connection closed without an alert" : "a byte came before any request: " + first;
        } catch (SocketTimeoutException e) {
            return handshaken ? ACCEPTED : "the handshake did not complete within 10 s";
        } catch (SSLException e) {
            return e.getMessage();
        } catch (IOException e) {
            return "no TLS refusal: " + chain(e);
        }
    }

    private static SSLException tlsFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException tls) {
                return tls;
            }
        }
        return null;
    }

    private static boolean refusal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException || c instanceof EOFException
                    || c instanceof SocketException && "Connection reset".equals(c.getMessage())
                    || "HTTP/1.1 header parser received no bytes".equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static String chain(Throwable t) {
        List<String> links = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            links.add(c.getClass().getName() + ": " + c.getMessage());
        }
        return String.join(" <- ", links);
    }
}
