package org.puente.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.puente.model.Country;

/**
 * The canonical encoding of an audit entry and its SHA-256 hash, as documented byte for byte in
 * {@code docs/audit.md}: anyone can recompute the chain from an export without Puente.
 *
 * <p>Implementation note: every field is length-prefixed (4 bytes, big-endian; {@code FFFFFFFF}
 * for an absent value), so no choice of field contents can make two different entries encode to
 * the same bytes, and an absent value differs from an empty one. Times carry exactly six fraction
 * digits because both databases store microseconds: a value read back encodes as it was written.
 */
public final class AuditHash {
    /** Hash of the entry before the first one: 32 zero bytes. */
    public static final String GENESIS = "0".repeat(64);
    /** Domain separation and version of the encoding. */
    static final byte[] TAG = "PUENTE-AUDIT-1\n".getBytes(StandardCharsets.US_ASCII);

    private static final HexFormat HEX = HexFormat.of();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AuditHash() {
    }

    /** The precision entries are stored and hashed with. */
    public static Instant normalize(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    /** The time as it is hashed and exported, e.g. {@code 2026-11-28T12:00:01.123456Z}. */
    public static String time(Instant at) {
        return TIME.format(normalize(at));
    }

    /** The hash (lower-case hex) of the entry at {@code seq} after {@code prevHash}. */
    public static String hash(String prevHash, long seq, Country country, AuditEvent e) {
        return HEX.formatHex(digest().digest(encode(prevHash, seq, country, e)));
    }

    /** The exact bytes that are hashed. */
    public static byte[] encode(String prevHash, long seq, Country country, AuditEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        out.writeBytes(TAG);
        out.writeBytes(HEX.parseHex(prevHash));
        out.writeBytes(ByteBuffer.allocate(8).putLong(seq).array());
        field(out, time(e.at()));
        field(out, country.name());
        field(out, e.event().name());
        field(out, e.messageId() == null ? null : e.messageId().toString());
        field(out, e.correlationId());
        field(out, e.messageType());
        field(out, e.sender());
        field(out, e.receiver());
        field(out, e.legalBasis());
        field(out, e.purpose());
        field(out, e.sensitivity());
        field(out, e.payloadSha256());
        field(out, e.envelopeSha256());
        field(out, e.actor());
        field(out, e.outcome());
        field(out, e.errorCode());
        field(out, e.detail());
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length).array());
        out.writeBytes(utf8);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
