package org.puente.engine.audit;

import org.puente.audit.export.ExportFile;
import org.puente.audit.export.ExportFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.puente.envelope.statement.StatementSigner;
import org.puente.model.Country;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditHash;
import org.puente.audit.store.AuditStore;
import org.puente.audit.StoredCheckpoint;
import org.puente.audit.store.CheckpointStore;
import org.puente.engine.store.Transactions;

/**
 * Writes a contiguous part of the audit chain to an export file ({@link ExportFormat}) and signs
 * it with the gateway's key (detached CMS, {@code <file>.p7s}). Auditors' exports and retention
 * archives are the same files.
 */
public final class AuditExporter {
    private final Transactions tx;
    private final AuditStore store;
    private final CheckpointStore checkpoints;
    private final StatementSigner signer;
    private final String gateway;
    private final Country country;
    private final Clock clock;

    /** A written, signed export. */
    public record Written(Path file, Path signature, ExportFormat.Header header, String sha256) {
    }

    public AuditExporter(Transactions tx, AuditStore store, CheckpointStore checkpoints, StatementSigner signer,
                         String gateway, Country country, Clock clock) {
        this.tx = tx;
        this.store = store;
        this.checkpoints = checkpoints;
        this.signer = signer;
        this.gateway = gateway;
        this.country = country;
        this.clock = clock;
    }

    /** Exports every entry written in {@code [from, to)} (and the positions between them). */
    public Written exportPeriod(Instant from, Instant to, Path file, String purpose) {
        Optional<long[]> range = tx.read(c -> store.range(c, from, to));
        return exportRange(range.map(r -> r[0]).orElse(0L), range.map(r -> r[1]).orElse(-1L), from, to, file, purpose);
    }

    /** Exports positions {@code first..last}; {@code last < first} writes a file with no entry. */
    public Written exportRange(long first, long last, Instant from, Instant to, Path file, String purpose) {
        return tx.read(c -> {
            Optional<AuditEntry> head = last >= first ? store.entry(c, first) : Optional.empty();
            Optional<AuditEntry> tail = last >= first ? store.entry(c, last) : Optional.empty();
            boolean empty = head.isEmpty() || tail.isEmpty();
            List<StoredCheckpoint> cps = empty ? List.of() : checkpoints.between(c, first, last);
            ExportFormat.Header header = new ExportFormat.Header(ExportFormat.HEADER, ExportFormat.FORMAT, purpose, gateway,
                    country.name(), from, to, empty ? 0 : first, empty ? 0 : last,
                    head.map(AuditEntry::prevHash).orElse(null), tail.map(AuditEntry::hash).orElse(null),
                    empty ? 0 : last - first + 1, cps.size(), AuditHash.normalize(clock.instant()));
            MessageDigest sha = ExportFile.newSha256();
            try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), sha)) {
                out.write(ExportFormat.line(header));
                for (StoredCheckpoint cp : cps) {
                    out.write(ExportFormat.line(ExportFormat.checkpointLine(cp)));
                }
                if (!empty) {
                    store.walk(c, first, last, e -> write(out, e));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            force(file);
            Path signature = file.resolveSibling(file.getFileName() + ExportFormat.SIGNATURE_SUFFIX);
            try (InputStream in = Files.newInputStream(file)) {
                Files.write(signature, signer.signDetached(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sign " + file, e);
            }
            force(signature);
            return new Written(file, signature, header, HexFormat.of().formatHex(sha.digest()));
        });
    }

    private static void write(OutputStream out, AuditEntry e) {
        try {
            out.write(ExportFormat.line(ExportFormat.entryLine(e)));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Archives must survive a crash right after the live rows are deleted: force them to the device. */
    private static void force(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + file, e);
        }
    }
}
