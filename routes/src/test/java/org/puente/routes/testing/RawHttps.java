package org.puente.routes.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 over TLS byte by byte, for the tests that need what a library client hides: a request
 * that declares a 1 GiB body and waits ({@code Expect: 100-continue}) to see whether the server
 * answers before reading it, or a body streamed in chunks that the server must cut off.
 */
public final class RawHttps {
    /** The answer, and how many body bytes the client managed to send before it came. */
    public record Answer(int status, Map<String, String> headers, byte[] body, long bodyBytesSent, boolean continued) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The status of an {@link Answer} when the server closed (or reset) the connection without answering. */
    public static final int NO_ANSWER = -1;

    private RawHttps() {
    }

    /**
     * Sends the head of a request declaring {@code declaredLength} body bytes with
     * {@code Expect: 100-continue}, then waits: an early final answer is returned without a body
     * byte sent; a {@code 100 Continue} is answered by sending the body (zeros).
     */
    public static Answer declared(SSLContext tls, int port, String method, String path, String contentType,
                                  long declaredLength) {
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + declaredLength + "\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            Head head = readHead(in);
            long sent = 0;
            boolean continued = false;
            if (head.status == 100) {
                continued = true;
                byte[] zeros = new byte[64 * 1024];
                try {
                    while (sent < declaredLength) {
                        int n = (int) Math.min(zeros.length, declaredLength - sent);
                        out.write(zeros, 0, n);
                        sent += n;
                    }
                    out.flush();
                } catch (IOException closedByServer) {
                    // the server answered and closed while we were still sending
                }
                head = readHead(in);
            }
            return new Answer(head.status, head.headers, readBody(in, head.headers), sent, continued);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the head of a request declaring {@code declaredLength} body bytes (no
     * {@code Expect}) and the first {@code sent} of them, then keeps the connection open, the
     * request unfinished, until the returned handle is closed (which drops the connection).
     */
    public static java.io.Closeable unfinished(SSLContext tls, int port, String method, String path, String contentType,
                                               long declaredLength, int sent) {
        try {
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + declaredLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[sent]);
            out.flush();
            return s::close;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a connection ended that the client left with its body unfinished. */
    public record Ended(Duration after, boolean answered) {
    }

    /**
     * A request whose client sent the head declaring {@code declaredLength} body bytes and the
     * first {@code sent} of them, and then nothing more; its socket stays open until closed.
     */
    public static final class Stalled implements java.io.Closeable {
        private final SSLSocket socket;
        private final long sentAt;

        private Stalled(SSLSocket socket, long sentAt) {
            this.socket = socket;
            this.sentAt = sentAt;
        }

        /** How long ago the request's head and first bytes were sent. */
        public Duration age() {
            return Duration.ofNanos(System.nanoTime() - sentAt);
        }

        /** Waits, at most {@code limit}, for the server to answer or to close its side; the socket stays open. */
        public Ended awaitEnd(Duration limit) throws IOException {
            socket.setSoTimeout((int) limit.toMillis());
            int first;
            try {
                first = socket.getInputStream().read();
            } catch (java.net.SocketException reset) {
                first = -1;
            }
            return new Ended(Duration.ofNanos(System.nanoTime() - sentAt), first >= 0);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Starts a {@link Stalled} request on {@code path}. */
    public static Stalled stall(SSLContext tls, int port, String path, long declaredLength, int sent) {
        try {
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + declaredLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[sent]);
            out.flush();
            return new Stalled(s, System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a request declaring {@code total} body bytes and sends them {@code chunk} at a time,
     * one chunk every {@code every}, then reads the answer.
     */
    public static Answer paced(SSLContext tls, int port, String path, long total, int chunk, Duration every) {
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + total + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long sent = 0;
            while (sent < total) {
                int n = (int) Math.min(chunk, total - sent);
                out.write(new byte[n]);
                out.flush();
                sent += n;
                Thread.sleep(every.toMillis());
            }
            InputStream in = s.getInputStream();
            Head head = readHead(in);
            return new Answer(head.status, head.headers, readBody(in, head.headers), sent, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Streams {@code total} zero bytes as a chunked body (no declared length) while reading the
     * answer; stops sending when the server answers or closes.
     */
    public static Answer chunked(SSLContext tls, int port, String method, String path, String contentType, long total) {
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port)) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
                try {
                    while (sent.get() < total && !Thread.currentThread().isInterrupted()) {
                        out.write(size);
                        out.write(chunk);
                        out.write(crlf);
                        sent.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closedByServer) {
                    // the server stopped reading: what we wanted to see
                }
            }, "raw-https-chunked-writer");
            writer.setDaemon(true);
            writer.start();
            Head head;
            byte[] body;
            try {
                head = readHead(in);
                body = readBody(in, head.headers);
            } catch (IOException closed) {
                writer.interrupt();
                join(writer);
                return new Answer(NO_ANSWER, Map.of(), new byte[0], sent.get(), false);
            }
            writer.interrupt();
            return new Answer(head.status, head.headers, body, sent.get(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Head(int status, Map<String, String> headers) {
    }

    private static Head readHead(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("connection closed without an answer");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(statusLine.split(" ")[1]), headers);
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        String length = headers.get("content-length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length));
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String size = line(in); size != null; size = line(in)) {
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    break;
                }
                out.write(in.readNBytes(n));
                line(in);
            }
            return out.toByteArray();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            in.transferTo(out);
        } catch (SocketTimeoutException | javax.net.ssl.SSLException e) {
            // what came before the connection ended is the body
        }
        return out.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.US_ASCII);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }
}
