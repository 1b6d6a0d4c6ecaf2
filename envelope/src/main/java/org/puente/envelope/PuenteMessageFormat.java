package org.puente.envelope;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The DER codec of the signed content, written and read by hand so the payload is streamed and
 * never copied into an ASN.1 object tree.
 *
 * <pre>
 * PuenteMessage ::= SEQUENCE {
 *     version     INTEGER (1),
 *     header      UTF8String,    -- canonical JSON of the EnvelopeHeader
 *     payload     OCTET STRING   -- the payload bytes, exactly as submitted
 * }
 * </pre>
 *
 * <p>Implementation note: the reader accepts DER only (definite, minimal lengths, version 1, no
 * trailing bytes), so one byte string has exactly one meaning; every deviation is an
 * {@link MalformedMessage}.
 */
public final class PuenteMessageFormat {
    public static final int VERSION = 1;
    /** Largest header accepted; real headers are well under 2 KB. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int UTF8_STRING = 0x0C;
    private static final int OCTET_STRING = 0x04;

    private PuenteMessageFormat() {
    }

    /** The decoded content: header JSON bytes and payload. */
    public record Decoded(byte[] headerJson, byte[] payload) {
    }

    /** The DER content did not have the agreed form. */
    public static final class MalformedMessage extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedMessage(String reason) {
            super(reason);
        }
    }

    /** The declared payload length is above the limit (refused before allocating it). */
    public static final class PayloadTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        private final long declaredLength;

        PayloadTooLarge(long declaredLength) {
            super("declared payload length " + declaredLength + " exceeds the limit");
            this.declaredLength = declaredLength;
        }

        public long declaredLength() {
            return declaredLength;
        }
    }

    /** Everything before the payload bytes: SEQUENCE header, version, header string, OCTET STRING header. */
    public static byte[] prefix(byte[] headerJson, long payloadLength) {
        if (payloadLength < 0 || payloadLength > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("payload length out of range: " + payloadLength);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(headerJson.length + 32);
        body.write(INTEGER);
        body.write(1);
        body.write(VERSION);
        body.write(UTF8_STRING);
        writeLength(body, headerJson.length);
        body.writeBytes(headerJson);
        body.write(OCTET_STRING);
        writeLength(body, payloadLength);
        long contentLength = body.size() + payloadLength;
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 6);
        out.write(SEQUENCE);
        writeLength(out, contentLength);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** Total encoded length of a PuenteMessage with this header and payload length. */
    public static long encodedLength(byte[] headerJson, long payloadLength) {
        return prefix(headerJson, payloadLength).length + payloadLength;
    }

    /**
     * Reads one PuenteMessage from {@code in}, which must end right after it.
     *
     * @param maxPayload largest payload accepted; larger declared lengths are refused before allocating
     */
    public static Decoded read(InputStream in, long maxPayload) throws IOException {
        expectTag(in, SEQUENCE, "SEQUENCE");
        long total = readLength(in);
        expectTag(in, INTEGER, "INTEGER version");
        if (readLength(in) != 1 || readByte(in) != VERSION) {
            throw new MalformedMessage("PuenteMessage version is not " + VERSION);
        }
        expectTag(in, UTF8_STRING, "UTF8String header");
        long headerLength = readLength(in);
        if (headerLength > MAX_HEADER_BYTES) {
            throw new MalformedMessage("header longer than " + MAX_HEADER_BYTES + " bytes");
        }
        byte[] header = in.readNBytes((int) headerLength);
        if (header.length != headerLength) {
            throw new MalformedMessage("truncated header");
        }
        expectTag(in, OCTET_STRING, "OCTET STRING payload");
        long payloadLength = readLength(in);
        if (payloadLength > maxPayload) {
            throw new PayloadTooLarge(payloadLength);
        }
        long expectedTotal = 3 + 1 + lengthOfLength(headerLength) + headerLength + 1 + lengthOfLength(payloadLength)
                + payloadLength;
        if (total != expectedTotal) {
            throw new MalformedMessage("SEQUENCE length does not match its elements");
        }
        byte[] payload = in.readNBytes((int) payloadLength);
        if (payload.length != payloadLength) {
            throw new MalformedMessage("truncated payload");
        }
        if (in.read() != -1) {
            throw new MalformedMessage("trailing bytes after PuenteMessage");
        }
        return new Decoded(header, payload);
    }

    private static void expectTag(InputStream in, int tag, String what) throws IOException {
        int t = readByte(in);
        if (t != tag) {
            throw new MalformedMessage("expected " + what);
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("truncated PuenteMessage");
        }
        return b;
    }

    private static long readLength(InputStream in) throws IOException {
        int first = readByte(in);
        if (first < 0x80) {
            return first;
        }
        int n = first & 0x7F;
        if (n == 0) {
            throw new MalformedMessage("indefinite length is not DER");
        }
        if (n > 4) {
            throw new MalformedMessage("length too large");
        }
        long len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | readByte(in);
        }
        if (len < 0x80 || lengthOfLength(len) != 1 + n) {
            throw new MalformedMessage("length not minimally encoded");
        }
        if (len > Integer.MAX_VALUE) {
            throw new MalformedMessage("length too large");
        }
        return len;
    }

    private static int lengthOfLength(long len) {
        if (len < 0x80) {
            return 1;
        }
        int n = 0;
        for (long v = len; v > 0; v >>>= 8) {
            n++;
        }
        return 1 + n;
    }

    private static void writeLength(ByteArrayOutputStream out, long len) {
        if (len < 0x80) {
            out.write((int) len);
            return;
        }
        int n = lengthOfLength(len) - 1;
        out.write(0x80 | n);
        for (int i = n - 1; i >= 0; i--) {
            out.write((int) (len >>> (8 * i)) & 0xFF);
        }
    }
}
