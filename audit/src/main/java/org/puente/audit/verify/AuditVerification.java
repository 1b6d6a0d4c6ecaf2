package org.puente.audit.verify;

import org.puente.audit.CheckpointContent;
import org.puente.audit.export.ExportFile;
import org.puente.audit.export.ExportFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.puente.envelope.signature.VerifiedSignature;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.CertificateNames;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.error.PuenteException;
import org.puente.audit.store.ArchiveStore;
import org.puente.audit.AuditHash;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.CheckpointStore;
import org.puente.audit.StoredCheckpoint;

/**
 * Verifies an audit log the way an auditor does: an export file with its detached signature, or
 * a live database (a stopped gateway's H2 file, or PostgreSQL) together with its retention
 * archives. Checkpoints are checked against the gateway's own root and name ({@code trust}).
 */
public final class AuditVerification {
    private final StatementVerifier verifier;
    private final SignerTrust trust;
    private final AuditStore store = new AuditStore();
    private final CheckpointStore checkpoints = new CheckpointStore();
    private final ArchiveStore archives = new ArchiveStore();

    public AuditVerification(StatementVerifier verifier, SignerTrust trust) {
        this.verifier = verifier;
        this.trust = trust;
    }

    /**
     * The outcome for an export file.
     *
     * @param signer           who signed the file and when, if the detached signature verified
     * @param signatureFailure why the detached signature did not verify, if it did not
     */
    public record ExportResult(ExportFormat.Header header, Optional<String> signer, Optional<String> signatureFailure,
                               ChainReport chain) {
        public boolean intact() {
            return signatureFailure.isEmpty() && chain.intact();
        }
    }

    public ExportResult verifyExport(Path file) {
        ExportFile export = ExportFile.open(file);
        Optional<String> signer = Optional.empty();
        Optional<String> failure = Optional.empty();
        try {
            VerifiedSignature v = export.verifySignature(verifier, trust);
            signer = Optional.of(CertificateNames.display(v.signer()) + " at " + v.signingTime());
        } catch (PuenteException e) {
            failure = Optional.of(e.errorCode().code() + ": " + e.sentence(Locale.ENGLISH));
        }
        ExportFormat.Header h = export.header();
        ChainVerifier chain = new ChainVerifier(this::check, export.checkpoints(), h.entries() == 0 ? 0 : h.firstSeq(),
                h.entries() == 0 ? null : h.previousHash());
        feed(export, chain);
        return new ExportResult(h, signer, failure, chain.finish(h.lastSeq(), h.lastHash(), "the export header"));
    }

    /**
     * Verifies the live table from its first position to the chain head, after the archives in
     * {@code archiveDir} (null: archived entries are not checked, the live chain is taken to
     * continue from the last archive's recorded hash).
     */
    public ChainReport verifyLive(Connection c, Path archiveDir) throws SQLException {
        AuditStore.Head head = store.head(c);
        List<ArchiveStore.Archive> recorded = archives.all(c);
        List<StoredCheckpoint> cps = new ArrayList<>(checkpoints.all(c));
        List<ExportFile> files = new ArrayList<>();
        ChainBreak archiveProblem = null;
        if (archiveDir != null) {
            for (ArchiveStore.Archive a : recorded) {
                Optional<ChainBreak> problem = checkArchive(archiveDir, a, files);
                if (problem.isPresent()) {
                    archiveProblem = problem.get();
                    break;
                }
                cps.addAll(files.get(files.size() - 1).checkpoints());
            }
        }
        ChainVerifier chain;
        if (recorded.isEmpty() || archiveDir != null) {
            chain = new ChainVerifier(this::check, cps, 1, AuditHash.GENESIS);
        } else {
            ArchiveStore.Archive last = recorded.get(recorded.size() - 1);
            chain = new ChainVerifier(this::check, cps, last.lastSeq() + 1, last.lastHash());
            chain.note("entries 1 to " + last.lastSeq() + " are archived in " + recorded.size()
                    + " file(s) and were not checked (give the archive folder to check them)");
        }
        if (archiveProblem != null) {
            chain.fail(archiveProblem);
        }
        for (ExportFile f : files) {
            feed(f, chain);
        }
        long unchained = store.unchained(c);
        try {
            store.walk(c, Math.max(1, chain.position()), Long.MAX_VALUE, e -> {
                if (!chain.accept(e)) {
                    throw new StopWalk();
                }
            });
        } catch (StopWalk stop) {
            // the first break is found: the rest is not read
        } catch (AuditStore.UnreadableEntry u) {
            chain.unreadable(u.seq(), u.reason());
        }
        ChainReport report = chain.finish(head.seq(), head.hash(), "the chain head");
        if (unchained > 0 && report.intact()) {
            // the gateway appends chained entries only: a row without a position was written behind
            // its back. Reported after the chain itself was checked, so a break in it comes first.
            ChainBreak outside = new ChainBreak(head.seq() + 1, ChainBreak.Kind.OUTSIDE_THE_CHAIN, unchained
                    + " row(s) of the audit table have no chain position (row ids " + store.unchainedIds(c, 5)
                    + (unchained > 5 ? ", ..." : "") + "): written outside the gateway's appends");
            return new ChainReport(report.firstSeq(), report.lastSeq(), report.lastHash(), report.entries(),
                    report.checkpoints(), report.latestCheckpointSeq(), report.latestCheckpointAt(), Optional.of(outside),
                    report.notes());
        }
        return report;
    }

    private Optional<ChainBreak> checkArchive(Path dir, ArchiveStore.Archive a, List<ExportFile> files) {
        Path file = dir.resolve(a.fileName());
        if (!Files.isRegularFile(file)) {
            return Optional.of(new ChainBreak(a.firstSeq(), ChainBreak.Kind.ARCHIVE_INVALID, "the archive file " + a.fileName()
                    + " (entries " + a.firstSeq() + " to " + a.lastSeq() + ") is not in " + dir));
        }
        String sha = ExportFile.sha256(file);
        if (!sha.equalsIgnoreCase(a.fileSha256())) {
            return Optional.of(new ChainBreak(a.firstSeq(), ChainBreak.Kind.ARCHIVE_INVALID, "the archive file " + a.fileName()
                    + " has SHA-256 " + sha + ", but " + a.fileSha256() + " was archived"));
        }
        ExportFile export = ExportFile.open(file);
        try {
            export.verifySignature(verifier, trust);
        } catch (PuenteException e) {
            return Optional.of(new ChainBreak(a.firstSeq(), ChainBreak.Kind.ARCHIVE_INVALID, "the signature of " + a.fileName()
                    + " does not verify: " + e.errorCode().code()));
        }
        files.add(export);
        return Optional.empty();
    }

    /** Feeds every entry line of {@code file} to {@code chain}, in file order; stops once it reports a break. */
    private static void feed(ExportFile file, ChainVerifier chain) {
        file.entries(e -> chain.accept(e), (reason) -> chain.unreadable(chain.position(), reason), chain::broken);
    }

    private CheckpointContent check(StoredCheckpoint cp) {
        return CheckpointContent.verify(verifier, trust, cp);
    }

    /** Ends a walk at the first break. */
    private static final class StopWalk extends SQLException {
        private static final long serialVersionUID = 1L;
    }
}
