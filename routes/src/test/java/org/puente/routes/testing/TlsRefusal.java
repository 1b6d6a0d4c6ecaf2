package org.puente.routes.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLHandshakeException;

/**
 * Asserts that a listener refused a client during the TLS handshake, and nothing else: no HTTP
 * status came back, and the client's failure is an {@link SSLHandshakeException} carrying the
 * fatal alert the server sent. A refused TCP connection, a timeout, a reset or an HTTP error all
 * fail the assertion, so "some IOException" can no longer pass for a handshake refusal.
 *
 * <p>Implementation note: in TLS 1.3 the client has sent its Finished message before the server
 * has judged the client's certificate, so the server's refusal reaches the JDK client as an alert
 * on its first read; the JDK reports it as an {@code SSLHandshakeException} "Received fatal alert:
 * ..." all the same (checked for a missing certificate, a foreign CA's, and a revoked one), and
 * no HTTP byte is ever read. The alert names why in TLS terms: {@code bad_certificate} when no
 * trusted chain was presented, {@code certificate_unknown} when the chain failed validation (a
 * revoked certificate: the JDK server does not name revocation in the alert).
 */
public final class TlsRefusal {
    /** The server had no trusted chain to judge: no certificate, or one of a CA it does not trust. */
    public static final String BAD_CERTIFICATE = "bad_certificate";
    /** The chain was judged and refused, e.g. a certificate revoked by a CRL. */
    public static final String CERTIFICATE_UNKNOWN = "certificate_unknown";

    private TlsRefusal() {
    }

    /** Runs the call and asserts it ended in a handshake refusal with {@code alert}, without any HTTP answer. */
    public static void assertRefusedDuringHandshake(Supplier<HttpResponse<byte[]>> call, String alert) {
        HttpResponse<byte[]> answer;
        try {
            answer = call.get();
        } catch (UncheckedIOException e) {
            SSLHandshakeException handshake = handshakeFailure(e);
            if (handshake == null) {
                fail("expected a refused TLS handshake (alert " + alert + "), but the call failed otherwise: " + chain(e));
                return;
            }
            assertThat(handshake.getMessage()).as("the alert the server sent; chain: %s", chain(e))
                    .isEqualTo("Received fatal alert: " + alert);
            return;
        }
        fail("expected a refused TLS handshake (alert " + alert + "), but an HTTP answer came back: " + answer.statusCode());
    }

    private static SSLHandshakeException handshakeFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLHandshakeException h) {
                return h;
            }
        }
        return null;
    }

    private static String chain(Throwable t) {
        List<String> links = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            links.add(c.getClass().getName() + ": " + c.getMessage());
        }
        return String.join(" <- ", links);
    }
}
