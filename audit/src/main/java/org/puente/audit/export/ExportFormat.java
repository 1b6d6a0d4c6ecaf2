package org.puente.audit.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.AuditHash;
import org.puente.audit.StoredCheckpoint;

/**
 * The audit export and archive file: JSON Lines, one canonical JSON object per line — a header,
 * the signed checkpoints of the range, then the entries in chain order — and beside it a
 * detached CMS signature ({@code <file>.p7s}) over the file's bytes. docs/audit.md shows a file.
 */
public final class ExportFormat {
    /**
     * The format written now: signed by the gateway's audit key, every entry covered by a
     * checkpoint in the file (the file goes on to the first checkpoint that vouches for its last
     * entry), checkpoints chained to their predecessors.
     */
    public static final String FORMAT = "puente-audit-export/2";
    /**
     * The format of files made before audit keys: signed by the message key, checkpoints not
     * chained, the tail of the file not necessarily covered. Still read; its signature and
     * checkpoints verify only when an auditor accepts legacy evidence.
     */
    public static final String FORMAT_1 = "puente-audit-export/1";
    public static final String SIGNATURE_SUFFIX = ".p7s";
    public static final String HEADER = "header";
    public static final String CHECKPOINT = "checkpoint";
    public static final String ENTRY = "entry";
    public static final String WITNESS = "witness";

    private ExportFormat() {
    }

    /**
     * The first line.
     *
     * @param purpose      {@code export} (asked for by an auditor) or {@code archive} (retention)
     * @param from         start of the period asked for (inclusive)
     * @param to           end of the period asked for (exclusive)
     * @param firstSeq     first chain position in the file (0 when it holds no entry)
     * @param lastSeq      last chain position in the file
     * @param previousHash hash of the entry before {@code firstSeq}
     * @param lastHash     hash of entry {@code lastSeq}
     */
    public record Header(String kind, String format, String purpose, String gateway, String country, Instant from, Instant to,
                         long firstSeq, long lastSeq, String previousHash, String lastHash, long entries, int checkpoints,
                         Instant exportedAt) {
    }

    /** A checkpoint line; {@code statement} is the DER CMS (base64 in JSON). */
    public record CheckpointLine(String kind, long seq, String hash, Instant signedAt, byte[] statement) {
        public StoredCheckpoint toCheckpoint() {
            return new StoredCheckpoint(seq, hash, signedAt, statement);
        }
    }

    /** An entry line: every field of the entry, times exactly as hashed. */
    public record EntryLine(String kind, long seq, String at, String country, String event, String messageId,
                            String correlationId, String messageType, String sender, String receiver, String legalBasis,
                            String purpose, String sensitivity, String payloadSha256, String envelopeSha256, String actor,
                            String outcome, String errorCode, String detail, String prevHash, String hash) {
    }

    /**
     * The last line of an export, when the peer has cosigned a checkpoint that holds the export's
     * last entry: that checkpoint (our audit key), the peer's cosignature of it (the peer's audit
     * key), its RFC 3161 token if any, and the inclusion proof of the last entry's hash in its
     * Merkle tree. The entry's hash commits to every entry before it (the chain), so the proof
     * vouches for the whole export as the peer saw the log (docs/audit.md, "Cross-witnessing").
     */
    public record WitnessLine(String kind, long treeSize, String rootHash, byte[] checkpoint, byte[] cosignature,
                              byte[] timestamp, long seq, String entryHash, java.util.List<String> path) {
    }

    public static byte[] line(Object value) {
        byte[] json = CanonicalJson.bytes(value);
        byte[] out = new byte[json.length + 1];
        System.arraycopy(json, 0, out, 0, json.length);
        out[json.length] = '\n';
        return out;
    }

    public static EntryLine entryLine(AuditEntry entry) {
        AuditEvent e = entry.event();
        return new EntryLine(ENTRY, entry.seq(), AuditHash.time(e.at()), entry.country().name(), e.event().name(),
                e.messageId() == null ? null : e.messageId().toString(), e.correlationId(), e.messageType(), e.sender(),
                e.receiver(), e.legalBasis(), e.purpose(), e.sensitivity(), e.payloadSha256(), e.envelopeSha256(), e.actor(),
                e.outcome(), e.errorCode(), e.detail(), entry.prevHash(), entry.hash());
    }

    public static CheckpointLine checkpointLine(StoredCheckpoint cp) {
        return new CheckpointLine(CHECKPOINT, cp.seq(), cp.hash(), cp.signedAt(), cp.statement());
    }

    /** The kind of a line, or null when the line is not a JSON object with a kind. */
    public static String kind(JsonNode line) {
        return line.isObject() && line.path("kind").isTextual() ? line.path("kind").asText() : null;
    }

    public static JsonNode parse(String line) throws IOException {
        return CanonicalJson.mapper().readTree(line.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads an entry line back; throws {@link IllegalArgumentException} saying what cannot be read. */
    public static AuditEntry entry(JsonNode n) {
        EntryLine l = CanonicalJson.mapper().convertValue(n, EntryLine.class);
        AuditEventType type;
        Country country;
        try {
            type = AuditEventType.valueOf(String.valueOf(l.event()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown event type '" + l.event() + "'");
        }
        try {
            country = Country.valueOf(String.valueOf(l.country()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown country '" + l.country() + "'");
        }
        Instant at;
        try {
            at = Instant.parse(l.at());
        } catch (RuntimeException e) {
            at = null;
        }
        if (at == null || !AuditHash.time(at).equals(l.at())) {
            throw new IllegalArgumentException("time '" + l.at() + "' is not in the canonical form");
        }
        UUID id;
        try {
            id = l.messageId() == null ? null : UUID.fromString(l.messageId());
        } catch (IllegalArgumentException e) {
            id = null;
        }
        if (l.messageId() != null && (id == null || !id.toString().equals(l.messageId()))) {
            throw new IllegalArgumentException("message id '" + l.messageId() + "' is not in the canonical form");
        }
        AuditEvent e = AuditEvent.decoded(at, type, id, l.correlationId(), l.messageType(), l.sender(), l.receiver(),
                l.legalBasis(), l.purpose(), l.sensitivity(), l.payloadSha256(), l.envelopeSha256(), l.actor(), l.outcome(),
                l.errorCode(), l.detail());
        return new AuditEntry(l.seq(), country, e, l.prevHash(), l.hash());
    }
}
