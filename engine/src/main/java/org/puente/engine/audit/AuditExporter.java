package org.puente.engine.audit;

import org.puente.audit.export.ExportFile;
import org.puente.audit.export.ExportFormat;
import org.puente.audit.verify.AuditVerification;
import org.puente.audit.verify.ChainBreak;
import org.puente.audit.verify.ChainReport;
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
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditHash;
import org.puente.audit.store.AuditStore;
import org.puente.audit.StoredCheckpoint;
import org.puente.audit.store.CheckpointStore;
import org.puente.engine.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a contiguous part of the audit chain to an export file ({@link ExportFormat}) and signs
 * it with the gateway's audit key (detached CMS, {@code <file>.p7s}) — only once the file
 * verifies. Auditors' exports and retention archives are the same files.
 *
 * <p>Implementation note: the file is written, then verified as an auditor would verify it
 * (every hash, every link, every checkpoint's signature, the checkpoints' own chain and cadence),
 * then signed; a range that does not verify is refused with {@code audit_log_broken} naming the
 * first break, and the unsigned file is removed. So the gateway's signature never blesses a
 * tampered table. The file goes on to the first checkpoint that vouches for the period's last
 * entry (signing one first if there is none yet), so that every entry it holds is covered by a
 * signature made when the entry was fresh, not by the export's own signature alone.
 */
public final class AuditExporter {
    private static final Logger LOG = LoggerFactory.getLogger(AuditExporter.class);

    private final Transactions tx;
    private final AuditStore store;
    private final CheckpointStore checkpoints;
    private final AuditCheckpoints signing;
    private final AuditVerification verification;
    private final StatementSigner signer;
    private final String gateway;
    private final Country country;
    private final Clock clock;
    /** The witness line of an export ending at (position, hash); none until {@link #witnessedBy} is called. */
    private volatile java.util.function.BiFunction<Long, String, Optional<ExportFormat.WitnessLine>> witness =
            (seq, hash) -> Optional.empty();

    /** A written, signed export. */
    public record Written(Path file, Path signature, ExportFormat.Header header, String sha256) {
    }

    /**
     * @param signing      signs a checkpoint when the period's last entry has none yet
     * @param verification the gateway's own verification of what it is about to sign
     * @param signer       a signer over the gateway's audit key
     */
    public AuditExporter(Transactions tx, AuditStore store, CheckpointStore checkpoints, AuditCheckpoints signing,
                         AuditVerification verification, StatementSigner signer, String gateway, Country country,
                         Clock clock) {
        this.tx = tx;
        this.store = store;
        this.checkpoints = checkpoints;
        this.signing = signing;
        this.verification = verification;
        this.signer = signer;
        this.gateway = gateway;
        this.country = country;
        this.clock = clock;
    }

    /**
     * Ends each export (not archives) with the witness line of its last entry: the peer-cosigned
     * checkpoint that holds it and the inclusion proof (set once, by {@link AuditServices}).
     */
    void witnessedBy(java.util.function.BiFunction<Long, String, Optional<ExportFormat.WitnessLine>> lines) {
        this.witness = lines;
    }

    /**
     * Exports every entry written in {@code [from, to)}, the positions between them, and the
     * entries up to the first checkpoint that vouches for the last of them.
     */
    public Written exportPeriod(Instant from, Instant to, Path file, String purpose) {
        Optional<long[]> range = tx.read(c -> store.range(c, from, to));
        if (range.isEmpty()) {
            return exportRange(0, -1, from, to, file, purpose);
        }
        long first = range.get()[0];
        return exportRange(first, coveringCheckpoint(range.get()[1]), from, to, file, purpose);
    }

    /** The position of the first checkpoint at or after {@code seq}; signs one now if the head has none yet. */
    private long coveringCheckpoint(long seq) {
        Optional<StoredCheckpoint> covering = tx.read(c -> checkpoints.firstAtOrAfter(c, seq));
        if (covering.isEmpty()) {
            signing.checkpoint();
            covering = tx.read(c -> checkpoints.firstAtOrAfter(c, seq));
        }
        return covering.orElseThrow(() -> new PuenteException(ErrorCode.AUDIT_LOG_BROKEN, "entries from " + seq,
                "no checkpoint vouches for entry " + seq + " and none could be signed")).seq();
    }

    /**
     * Exports positions {@code first..last} ({@code last < first} writes a file with no entry),
     * verifies the file and signs it; throws {@code audit_log_broken} when the range does not
     * verify (and leaves no file behind).
     */
    public Written exportRange(long first, long last, Instant from, Instant to, Path file, String purpose) {
        Optional<ExportFormat.WitnessLine> witnessLine = last >= first && "export".equals(purpose)
                ? tx.read(c -> store.entry(c, last)).flatMap(e -> witness.apply(last, e.hash())) : Optional.empty();
        Unsigned unsigned = write(first, last, from, to, file, purpose, witnessLine);
        ChainReport check = verification.verifyContent(file);
        if (check.firstBreak().isPresent()) {
            ChainBreak b = check.firstBreak().get();
            removeQuietly(file);
            LOG.error("audit {} of entries {} to {} refused: the log does not verify: {}", purpose, first, last, b);
            throw new PuenteException(ErrorCode.AUDIT_LOG_BROKEN, "an " + purpose + " of entries " + first + " to " + last,
                    b.toString());
        }
        Path signature = file.resolveSibling(file.getFileName() + ExportFormat.SIGNATURE_SUFFIX);
        try (InputStream in = Files.newInputStream(file)) {
            Files.write(signature, signer.signDetached(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sign " + file, e);
        }
        force(signature);
        return new Written(file, signature, unsigned.header(), unsigned.sha256());
    }

    /** A written file, not yet signed. */
    private record Unsigned(ExportFormat.Header header, String sha256) {
    }

    private Unsigned write(long first, long last, Instant from, Instant to, Path file, String purpose,
                           Optional<ExportFormat.WitnessLine> witnessLine) {
        return tx.read(c -> {
            long outside = store.unchained(c);
            if (outside > 0) {
                // the gateway appends chained entries only: such a row was written behind its back
                throw new PuenteException(ErrorCode.AUDIT_LOG_BROKEN, "an " + purpose, outside + " row(s) of the audit"
                        + " table have no chain position (row ids " + store.unchainedIds(c, 5) + "): written outside the"
                        + " gateway's appends");
            }
            Optional<AuditEntry> head = last >= first ? store.entry(c, first) : Optional.empty();
            Optional<AuditEntry> tail = last >= first ? store.entry(c, last) : Optional.empty();
            if (last >= first && (head.isEmpty() || tail.isEmpty())) {
                throw new PuenteException(ErrorCode.AUDIT_LOG_BROKEN, "an " + purpose + " of entries " + first + " to " + last,
                        "entry " + (head.isEmpty() ? first : last) + " is not in the table");
            }
            boolean empty = last < first;
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
                    if (witnessLine.isPresent()) {
                        out.write(ExportFormat.line(witnessLine.get()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            force(file);
            return new Unsigned(header, HexFormat.of().formatHex(sha.digest()));
        });
    }

    private static void removeQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the refusal matters more than the leftover; the folder is the gateway's own
        }
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
