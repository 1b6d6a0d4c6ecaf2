package org.puente.engine.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.export.ExportFormat;
import org.puente.audit.store.ArchiveStore;
import org.puente.audit.store.AuditStore;
import org.puente.audit.StoredCheckpoint;
import org.puente.audit.store.CheckpointStore;
import org.puente.engine.audit.AuditExporter;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.store.Transactions;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * What auditors ask of the log: entries by filter, one message's story with the signed proofs
 * the gateway holds for it, the head, the checkpoints, and a signed export of a period (itself
 * audited). The auditor API turns these into HTTP; it runs no SQL of its own.
 */
public final class AuditQueries {
    private final Transactions tx;
    private final AuditStore store;
    private final CheckpointStore checkpoints;
    private final ArchiveStore archives;
    private final AuditLog audit;
    private final AuditExporter exporter;
    private final OutboxStore outbox;
    private final InboxStore inbox;
    private final Path workDir;
    private final String gateway;
    private final Clock clock;

    /** Where the answers come from. */
    public record Sources(AuditStore store, CheckpointStore checkpoints, ArchiveStore archives, AuditLog audit,
                          AuditExporter exporter, OutboxStore outbox, InboxStore inbox) {
    }

    public AuditQueries(Transactions tx, Sources sources, Path workDir, String gateway, Clock clock) {
        this.tx = tx;
        this.store = sources.store();
        this.checkpoints = sources.checkpoints();
        this.archives = sources.archives();
        this.audit = sources.audit();
        this.exporter = sources.exporter();
        this.outbox = sources.outbox();
        this.inbox = sources.inbox();
        this.workDir = workDir;
        this.gateway = gateway;
        this.clock = clock;
    }

    public List<AuditEntry> events(AuditStore.Filter filter, long after, int limit) {
        return tx.read(c -> store.query(c, filter, after, limit));
    }

    /**
     * The signed proofs this gateway holds for one message: for a message it sent, the peer's
     * receipt (or signed refusal) and the peer's delivery notice; for a message it received, the
     * receipt it answered with. Each is DER CMS, checkable with {@code openssl cms -verify}.
     */
    public record Proofs(byte[] receipt, byte[] deliveryNotice, byte[] ourReceipt) {
    }

    /** One message's entries, oldest first, with its proofs. */
    public record Story(UUID messageId, List<AuditEntry> entries, Proofs proofs) {
    }

    public Story story(UUID id) {
        return tx.read(c -> {
            List<AuditEntry> entries = store.story(c, id);
            if (entries.isEmpty()) {
                throw new PuenteException(ErrorCode.NOT_FOUND, "message", id);
            }
            Optional<OutboxStore.Proofs> sent = outbox.proofs(c, id);
            byte[] ours = inbox.receiptOf(c, id).orElse(null);
            return new Story(id, entries, new Proofs(sent.map(OutboxStore.Proofs::receipt).orElse(null),
                    sent.map(OutboxStore.Proofs::deliveryNotice).orElse(null), ours));
        });
    }

    /** The head of the chain, where the live table starts, and the latest checkpoint. */
    public record Head(String gateway, long seq, String hash, Long firstLiveSeq, int archives,
                       StoredCheckpoint latestCheckpoint) {
    }

    public Head head() {
        return tx.read(c -> {
            AuditStore.Head h = store.head(c);
            return new Head(gateway, h.seq(), h.hash(), store.firstSeq(c).orElse(null), archives.all(c).size(),
                    checkpoints.latest(c).orElse(null));
        });
    }

    /** Checkpoints after position {@code after}, oldest first. */
    public List<StoredCheckpoint> checkpoints(long after) {
        return tx.read(c -> checkpoints.between(c, after + 1, Long.MAX_VALUE));
    }

    /** A signed export being handed to an auditor: the file's content (its names are gone already) and the signature. */
    public record Export(InputStream content, byte[] signature, ExportFormat.Header header, String sha256) {
    }

    /**
     * Exports {@code [from, to)} for an auditor, signed, and audits it (EXPORT_MADE). The files
     * are unlinked before this returns: the open stream keeps the data readable, and nothing is
     * left behind whatever happens to the caller. A range that does not verify is not signed: the
     * refusal ({@code audit_log_broken}) is answered and audited too (EXPORT_MADE, outcome
     * REJECTED, with where the log breaks), so the log records that an auditor found it broken.
     */
    public Export export(Instant from, Instant to, String auditor) {
        if (!from.isBefore(to)) {
            throw new PuenteException(ErrorCode.INVALID_TIME_WINDOW, from, to);
        }
        Path file = null;
        try {
            Files.createDirectories(workDir);
            file = Files.createTempFile(workDir, "export-", ".jsonl");
            AuditExporter.Written w = exported(from, to, file, auditor);
            byte[] signature = Files.readAllBytes(w.signature());
            ExportFormat.Header h = w.header();
            tx.write(c -> {
                audit.append(c, AuditEvent.action(AuditEventType.EXPORT_MADE, clock.instant(), auditor,
                        "period " + from + " to " + to + ", entries " + h.firstSeq() + " to " + h.lastSeq() + " ("
                                + h.entries() + "), sha256 " + w.sha256()));
                return null;
            });
            InputStream content = Files.newInputStream(file);
            Files.delete(file);
            Files.delete(w.signature());
            return new Export(content, signature, h, w.sha256());
        } catch (IOException e) {
            removeQuietly(file);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            removeQuietly(file);
            throw e;
        }
    }

    private AuditExporter.Written exported(Instant from, Instant to, Path file, String auditor) {
        try {
            return exporter.exportPeriod(from, to, file, "export");
        } catch (PuenteException e) {
            if (e.errorCode() == ErrorCode.AUDIT_LOG_BROKEN) {
                tx.write(c -> {
                    audit.append(c, AuditEvent.action(AuditEventType.EXPORT_MADE, clock.instant(), auditor, null)
                            .withOutcome(AuditEvent.REJECTED, e.errorCode(), "period " + from + " to " + to
                                    + " not exported: " + e.getMessage()));
                    return null;
                });
            }
            throw e;
        }
    }

    private static void removeQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ExportFormat.SIGNATURE_SUFFIX));
        } catch (IOException ignored) {
            // nothing more to do: the folder is only for exports in progress
        }
    }
}
