package org.puente.audit.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.puente.envelope.signature.VerifiedSignature;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.audit.AuditEntry;
import org.puente.audit.StoredCheckpoint;

/**
 * An export or archive file on disk, read line by line: its header and checkpoints first (they
 * come before the entries), then its entries streamed to a sink (the chain verifier of
 * {@code audit.verify}, a reconciliation, {@code show}). Lines that cannot be read are reported as
 * unreadable entries at the position where they stand.
 *
 * @param file        the JSON Lines file
 * @param header      its first line
 * @param checkpoints its checkpoint lines
 */
public record ExportFile(Path file, ExportFormat.Header header, List<StoredCheckpoint> checkpoints) {

    /** Reads the header and the checkpoints; throws {@code malformed_json} if the file is not an export. */
    public static ExportFile open(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            JsonNode h = first == null ? null : ExportFormat.parse(first);
            String format = h == null ? null : h.path("format").asText();
            if (h == null || !ExportFormat.HEADER.equals(ExportFormat.kind(h))
                    || !(ExportFormat.FORMAT.equals(format) || ExportFormat.FORMAT_1.equals(format))) {
                throw new PuenteException(ErrorCode.MALFORMED_JSON, file + " does not start with a " + ExportFormat.FORMAT
                        + " header");
            }
            ExportFormat.Header header = CanonicalJson.mapper().convertValue(h, ExportFormat.Header.class);
            List<StoredCheckpoint> cps = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode n = parseOrNull(line);
                if (n == null || !ExportFormat.CHECKPOINT.equals(ExportFormat.kind(n))) {
                    break;
                }
                cps.add(CanonicalJson.mapper().convertValue(n, ExportFormat.CheckpointLine.class).toCheckpoint());
            }
            return new ExportFile(file, header, List.copyOf(cps));
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, file + ": the header cannot be read");
        }
    }

    /** Whether the file is of the format made before audit keys ({@link ExportFormat#FORMAT_1}). */
    public boolean legacyFormat() {
        return ExportFormat.FORMAT_1.equals(header.format());
    }

    /** Streams the entry lines to {@code sink} (for reconciliation and {@code show}); unreadable lines go to {@code bad}. */
    public void entries(Consumer<AuditEntry> sink, Consumer<String> bad) {
        entries(sink, bad, () -> false);
    }

    /**
     * Streams the entry lines to {@code sink}, in file order, until {@code stop} says so (a chain
     * verifier that has found a break); unreadable lines go to {@code bad}.
     */
    public void entries(Consumer<AuditEntry> sink, Consumer<String> bad, java.util.function.BooleanSupplier stop) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            r.readLine();
            for (String line; (line = r.readLine()) != null && !stop.getAsBoolean(); ) {
                JsonNode n = parseOrNull(line);
                String kind = n == null ? null : ExportFormat.kind(n);
                if (ExportFormat.CHECKPOINT.equals(kind) || ExportFormat.WITNESS.equals(kind)) {
                    continue;
                }
                if (!ExportFormat.ENTRY.equals(kind)) {
                    bad.accept("a line that is not an entry: " + abbreviate(line));
                    continue;
                }
                try {
                    sink.accept(ExportFormat.entry(n));
                } catch (IllegalArgumentException e) {
                    bad.accept(e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The witness line ({@link ExportFormat.WitnessLine}), if the export has one; the last one counts. */
    public java.util.Optional<ExportFormat.WitnessLine> witness() {
        ExportFormat.WitnessLine found = null;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.contains("\"kind\":\"" + ExportFormat.WITNESS + "\"")) {
                    continue;
                }
                JsonNode n = parseOrNull(line);
                if (n != null && ExportFormat.WITNESS.equals(ExportFormat.kind(n))) {
                    try {
                        found = CanonicalJson.mapper().convertValue(n, ExportFormat.WitnessLine.class);
                    } catch (IllegalArgumentException e) {
                        throw new PuenteException(ErrorCode.MALFORMED_JSON, file + ": the witness line cannot be read");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return java.util.Optional.ofNullable(found);
    }

    /** SHA-256 of the file, lower-case hex. */
    public static String sha256(Path file) {
        MessageDigest sha = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Verifies the detached signature {@code <file>.p7s}; throws its refusal. */
    public VerifiedSignature verifySignature(StatementVerifier verifier, SignerTrust trust) {
        Path sig = signatureFile();
        if (!Files.isRegularFile(sig)) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "no signature file " + sig.getFileName());
        }
        try (InputStream in = Files.newInputStream(file)) {
            return verifier.verifyDetached(in, Files.readAllBytes(sig), trust);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path signatureFile() {
        return file.resolveSibling(file.getFileName() + ExportFormat.SIGNATURE_SUFFIX);
    }

    private static JsonNode parseOrNull(String line) {
        try {
            return ExportFormat.parse(line);
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** A SHA-256 digest (present in every Java runtime). */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
