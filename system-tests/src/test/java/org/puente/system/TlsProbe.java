package org.puente.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * Connects to a listener with a given client TLS context and says exactly what happened: the
 * handshake was refused (with the TLS alert the server sent), or an HTTP answer came back. In TLS
 * 1.3 the client finishes its side of the handshake before the server has judged its certificate,
 * so a refusal may arrive as an alert on the first read: that is still a refused handshake — no
 * HTTP byte ever comes back — and is reported as one.
 */
final class TlsProbe {
    /** What a connection attempt ended with. */
    record Result(boolean refused, String alert, String protocol, String httpStatusLine) {
        @Override
        public String toString() {
            return refused ? "handshake refused (" + alert + ")" : "HTTP answer over " + protocol + ": " + httpStatusLine;
        }
    }

    private TlsProbe() {
    }

    static Result probe(SSLContext client, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("localhost", port)) {
            s.setSoTimeout(10_000);
            String protocol;
            try {
                s.startHandshake();
                protocol = s.getSession().getProtocol();
                // TLS 1.3: the server judges the client's certificate after the client finished; its
                // refusal (an alert) comes next. Listen for it before sending anything.
                s.setSoTimeout(1_000);
                try {
                    int first = s.getInputStream().read();
                    if (first < 0) {
                        return new Result(true, "connection closed without an answer", protocol, null);
                    }
                    return new Result(false, null, protocol, "unexpected byte before any request: " + first);
                } catch (java.net.SocketTimeoutException quiet) {
                    // no alert: the handshake was accepted
                }
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("GET /api/v1/inbox HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] head = in.readNBytes(12);
                if (head.length == 0) {
                    return new Result(true, "connection closed without an answer", protocol, null);
                }
                return new Result(false, null, protocol, new String(head, StandardCharsets.US_ASCII));
            } catch (SSLException e) {
                return new Result(true, alert(e), null, null);
            }
        }
    }

    private static String alert(SSLException e) {
        String m = String.valueOf(e.getMessage());
        int i = m.indexOf("alert: ");
        return i >= 0 ? m.substring(i + "alert: ".length()).trim() : m;
    }
}
