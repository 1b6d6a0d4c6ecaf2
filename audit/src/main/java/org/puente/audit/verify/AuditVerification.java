package org.puente.audit.verify;

import org.puente.audit.AuditKeys;
import org.puente.audit.CheckpointContent;
import org.puente.audit.export.ExportFile;
import org.puente.audit.export.ExportFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.puente.envelope.signature.VerifiedSignature;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.CertificateNames;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.audit.store.ArchiveStore;
import org.puente.audit.AuditHash;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.CheckpointStore;
import org.puente.audit.StoredCheckpoint;

/**
 * Verifies an audit log the way an auditor does: an export file with its detached signature, or
 * a live database (the SQLite file of a gateway, or PostgreSQL) together with its retention
 * archives. Checkpoints and file signatures are checked against the gateway's own root and name
 * ({@code trust}), and must come from its audit key ({@link AuditKeys}): whatever purpose the
 * given trust requires, this class requires the audit purpose. Checkpoints must form a chain and
 * follow the cadence of {@link CheckpointRules}.
 */
public final class AuditVerification {
    private final StatementVerifier verifier;
    private final SignerTrust trust;
    private final SignerTrust legacyTrust;
    private final Options options;
    private final AuditStore store = new AuditStore();
    private final CheckpointStore checkpoints = new CheckpointStore();
    private final ArchiveStore archives = new ArchiveStore();

    /**
     * What an auditor may loosen or tighten.
     *
     * @param defaultInterval the checkpoint interval assumed where no checkpoint states one (the gateway's default, 5 minutes)
     * @param maxGap          the longest an entry may wait for its checkpoint; null: {@link CheckpointRules#FACTOR} x the
     *                        interval the checkpoint signs
     * @param legacy          whether evidence made before the audit key (export format 1, checkpoints without a
     *                        predecessor, signed with the message key) is accepted — reported when it is
     * @param clock           the time a live log's newest checkpoint is judged at (now; certificates are judged by
     *                        the trust's own clock)
     */
    public record Options(Duration defaultInterval, Duration maxGap, boolean legacy, Clock clock) {
        public static final Options DEFAULT = new Options(Duration.ofMinutes(5), null, false, Clock.systemUTC());
    }

    public AuditVerification(StatementVerifier verifier, SignerTrust trust) {
        this(verifier, trust, Options.DEFAULT);
    }

    public AuditVerification(StatementVerifier verifier, SignerTrust trust, Options options) {
        this.verifier = verifier;
        this.trust = AuditKeys.trust(trust);
        this.legacyTrust = options.legacy() ? AuditKeys.legacyTrust(trust) : null;
        this.options = options;
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
            VerifiedSignature v = verifySignature(export);
            signer = Optional.of(CertificateNames.display(v.signer()) + " at " + v.signingTime()
                    + (export.legacyFormat() ? " (legacy: " + ExportFormat.FORMAT_1 + ", the message key)" : ""));
        } catch (PuenteException e) {
            failure = Optional.of(e.errorCode().code() + ": " + e.sentence(Locale.ENGLISH));
        }
        return new ExportResult(export.header(), signer, failure, chainOf(export));
    }

    /**
     * The chain, checkpoints and cadence of an export or archive file, without its signature: what
     * the gateway checks of a file it is about to sign.
     */
    public ChainReport verifyContent(Path file) {
        return chainOf(ExportFile.open(file));
    }

    private ChainReport chainOf(ExportFile export) {
        ExportFormat.Header h = export.header();
        CheckpointRules rules = new CheckpointRules(options.defaultInterval(), options.maxGap(),
                export.legacyFormat() ? CheckpointRules.Tail.ANY : CheckpointRules.Tail.COVERED, null);
        ChainVerifier chain = new ChainVerifier(this::check, export.checkpoints(), h.entries() == 0 ? 0 : h.firstSeq(),
                h.entries() == 0 ? null : h.previousHash(), rules);
        feed(export, chain);
        return chain.finish(h.lastSeq(), h.lastHash(), "the export header");
    }

    /** The detached signature of a file, by the audit key (or, for a legacy file an auditor accepts, the message key). */
    private VerifiedSignature verifySignature(ExportFile export) {
        try {
            return export.verifySignature(verifier, trust);
        } catch (PuenteException e) {
            if (legacyTrust != null && export.legacyFormat() && e.errorCode() == ErrorCode.WRONG_KEY_USAGE) {
                return export.verifySignature(verifier, legacyTrust);
            }
            throw e;
        }
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
        CheckpointRules rules = new CheckpointRules(options.defaultInterval(), options.maxGap(), CheckpointRules.Tail.RECENT,
                options.clock().instant());
        if (recorded.isEmpty() || archiveDir != null) {
            chain = new ChainVerifier(this::check, cps, 1, AuditHash.GENESIS, rules);
        } else {
            ArchiveStore.Archive last = recorded.get(recorded.size() - 1);
            chain = new ChainVerifier(this::check, cps, last.lastSeq() + 1, last.lastHash(), rules);
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
            verifySignature(export);
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

    /**
     * A checkpoint signed by the audit key; or, when the auditor accepts legacy evidence, a
     * checkpoint of the legacy form (no predecessor) signed by the message key. A checkpoint of
     * the current form signed by the message key is refused either way.
     */
    private CheckpointContent check(StoredCheckpoint cp) {
        try {
            return CheckpointContent.verify(verifier, trust, cp);
        } catch (PuenteException e) {
            if (legacyTrust == null || e.errorCode() != ErrorCode.WRONG_KEY_USAGE) {
                throw e;
            }
            CheckpointContent legacy = CheckpointContent.verify(verifier, legacyTrust, cp);
            if (!legacy.legacy()) {
                throw e;
            }
            return legacy;
        }
    }

    /** Ends a walk at the first break. */
    private static final class StopWalk extends SQLException {
        private static final long serialVersionUID = 1L;
    }
}
