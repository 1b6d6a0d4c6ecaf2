package org.puente.engine.audit;

import org.puente.audit.verify.AuditVerification;
import org.puente.audit.verify.ChainBreak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.audit.store.ArchiveStore;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.AuditHash;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.CheckpointStore;
import org.puente.audit.store.Dialect;
import org.puente.audit.StoredCheckpoint;
import org.puente.engine.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves audit entries older than the retention period out of the live table: into a signed
 * archive file (the export format, so the same verifier reads it), then — only once the file is
 * on disk and verifies — deletes them with their checkpoints, records the archive and writes an
 * {@code ARCHIVED} event, in one transaction. The live chain continues from the archive's last
 * hash, so {@code puente audit verify} proves archive and live table together.
 *
 * <p>Implementation note: the range is verified before it is signed ({@link AuditExporter}) and
 * the signed file again before anything is deleted, so a log that was already tampered with is
 * never blessed by the gateway's signature on an archive; the failure ({@code audit_log_broken})
 * stops retention (logged and counted as a background failure) until an auditor has looked. An
 * archive ends at a checkpoint, so that it is covered to its last entry and the live table starts
 * right after a signed position. The rows are removed through {@link AuditStore#retire}: on
 * PostgreSQL the gateway's role cannot delete audit rows itself (migration V4).
 */
public final class AuditRetention {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
    /** Entries per archive file: bounds the work of one run and the size of one file. */
    static final int MAX_PER_FILE = 200_000;

    private final Transactions tx;
    private final AuditStore store;
    private final CheckpointStore checkpoints;
    private final ArchiveStore archives;
    private final AuditLog audit;
    private final AuditExporter exporter;
    private final AuditVerification verification;
    private final Dialect dialect;
    private final Duration retention;
    private final Path dir;
    private final String ownName;
    private final Country country;
    private final Clock clock;

    public AuditRetention(Transactions tx, AuditStore store, CheckpointStore checkpoints, ArchiveStore archives,
                          AuditLog audit, AuditExporter exporter, AuditVerification verification, Dialect dialect,
                          Duration retention, Path dir, String ownName, Country country, Clock clock) {
        this.tx = tx;
        this.store = store;
        this.checkpoints = checkpoints;
        this.archives = archives;
        this.audit = audit;
        this.exporter = exporter;
        this.verification = verification;
        this.dialect = dialect;
        this.retention = retention;
        this.dir = dir;
        this.ownName = ownName;
        this.country = country;
        this.clock = clock;
    }

    /** Archives the entries past the retention period, one file per run; returns the archive made, if any. */
    public Optional<ArchiveStore.Archive> archiveDue() {
        Instant cutoff = clock.instant().minus(retention);
        Optional<Long> first = tx.read(store::firstSeq);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        long headSeq = tx.read(store::head).seq();
        long last = tx.read(c -> store.firstAtOrAfter(c, cutoff)).map(s -> s - 1).orElse(headSeq);
        long bound = Math.min(last, first.get() + MAX_PER_FILE - 1);
        // an archive ends where a checkpoint vouches for its last entry
        long end = tx.read(c -> checkpoints.lastAtOrBefore(c, bound)).map(StoredCheckpoint::seq).orElse(0L);
        if (end < first.get()) {
            return Optional.empty();
        }
        return Optional.of(archive(first.get(), end, cutoff));
    }

    private ArchiveStore.Archive archive(long first, long last, Instant cutoff) {
        List<ArchiveStore.Archive> before = tx.read(archives::all);
        String previous = before.isEmpty() ? AuditHash.GENESIS : before.get(before.size() - 1).lastHash();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the archive folder " + dir, e);
        }
        String name = "audit-" + country.name().toLowerCase() + "-" + String.format("%012d-%012d", first, last) + ".jsonl";
        Path file = dir.resolve(name);
        Instant from = tx.read(c -> store.entry(c, first)).map(e -> e.event().at()).orElse(cutoff);
        AuditExporter.Written w = exporter.exportRange(first, last, from, cutoff, file, "archive");
        AuditVerification.ExportResult check = verification.verifyExport(file);
        if (!check.intact() || !previous.equalsIgnoreCase(String.valueOf(w.header().previousHash()))
                || w.header().entries() != last - first + 1) {
            String why = check.chain().firstBreak().map(ChainBreak::toString)
                    .or(check::signatureFailure)
                    .orElse("the archive does not continue the previous one (" + previous + ")");
            LOG.error("audit retention stopped: entries {} to {} do not verify: {}", first, last, why);
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, "audit-retention: " + why);
        }
        ArchiveStore.Archive a = new ArchiveStore.Archive(first, last, w.header().lastHash(), name, w.sha256(),
                AuditHash.normalize(clock.instant()));
        tx.write(c -> {
            archives.insert(c, a);
            store.retire(c, dialect, last);
            audit.append(c, AuditEvent.action(AuditEventType.ARCHIVED, clock.instant(), ownName, "entries " + first + " to "
                    + last + " (before " + cutoff + ") archived to " + name + ", sha256 " + w.sha256()));
            return null;
        });
        LOG.info("audit entries {} to {} archived to {}", first, last, file);
        return a;
    }
}
