package org.puente.cli.audit;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.puente.cli.exit.ExitCodes;
import org.puente.model.error.PuenteException;
import org.puente.audit.verify.AuditVerification;
import org.puente.audit.verify.ChainReport;
import org.puente.audit.export.ExportFile;
import org.puente.audit.export.ExportFormat;
import org.puente.audit.AuditKeys;
import org.puente.audit.CosignatureContent;
import org.puente.audit.verify.WitnessCheck;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.timestamp.TimeStampVerifier;
import org.puente.envelope.timestamp.VerifiedTimeStamp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code puente audit verify}: recomputes the hash chain of an export or of a live database (with
 * its retention archives), checks every checkpoint signature — and an export's own signature —
 * against the gateway's certificate, and reports the first broken link precisely.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify an audit export (FILE with FILE.p7s beside it) or a live database.",
                "Recomputes every hash, checks every checkpoint signature and reports the FIRST broken link.",
                "Exit code 0: intact; 1: broken, or the evidence cannot be read."})
public final class VerifyCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "EXPORT.jsonl", description = "An export or archive file (its signature is EXPORT.jsonl.p7s).")
    Path export;

    @Mixin
    DatabaseSource db = new DatabaseSource();

    @Option(names = "--archive", paramLabel = "DIR",
            description = "Folder of the gateway's retention archives (puente.audit.archive-dir): verify them with the live table.")
    Path archive;

    @Mixin
    AuditTrust trust = new AuditTrust();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((export != null) == db.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Give an export file, or --data-dir / --db (not both).");
        }
        try {
            if (export != null) {
                return verifyExport(out, err);
            }
            if (trust.signer == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--signer is required for a database: the gateway name its checkpoints must be signed by.");
            }
            AuditVerification v = trust.verification(trust.signer, err);
            ChainReport r;
            try (Connection c = db.open()) {
                r = v.verifyLive(c, archive);
            }
            out.printf("puente audit verify: live audit log in %s%s, signer %s%n", db.describe(),
                    archive == null ? "" : " with the archives in " + archive, trust.signer);
            return AuditReports.chain(out, r);
        } catch (SQLException e) {
            err.println("error: cannot read the audit log: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (PuenteException e) {
            err.println("error " + e.errorCode().code() + ": " + e.sentence(Locale.ENGLISH));
            return ExitCodes.INVALID;
        }
    }

    private int verifyExport(PrintWriter out, PrintWriter err) {
        ExportFile file = ExportFile.open(export);
        String signer = trust.signer != null ? trust.signer : file.header().gateway();
        AuditVerification.ExportResult r = trust.verification(signer, err).verifyExport(export);
        out.printf("puente audit verify: %s %s of %s (%s), period %s to %s%n", r.header().purpose(), export,
                r.header().gateway(), r.header().country(), r.header().from(), r.header().to());
        if (trust.signer == null) {
            out.printf("signer expected: %s (from the export header; pin it with --signer)%n", signer);
        }
        if (r.signatureFailure().isPresent()) {
            out.printf("signature: INVALID: %s%n", r.signatureFailure().get());
        } else {
            out.printf("signature: valid, signed by %s%n", r.signer().orElse("?"));
        }
        int chain = AuditReports.chain(out, r.chain());
        if (r.signatureFailure().isPresent() && chain == ExitCodes.OK) {
            out.println("BROKEN: the export's signature does not cover these bytes (the file was changed after export)");
        }
        boolean witnessed = witness(out, err, file, signer);
        return r.intact() && witnessed ? ExitCodes.OK : ExitCodes.INVALID;
    }

    /**
     * The RFC 3161 token of the witnessed checkpoint, if it has one: issued by a TSA under the
     * gateway's own roots (--trust), over the SHA-256 of exactly that checkpoint.
     */
    private boolean timestamp(PrintWriter out, ExportFormat.WitnessLine line) {
        if (line.timestamp() == null) {
            out.println("timestamp: none (the gateway has no time-stamping authority configured, or it had not answered)");
            return true;
        }
        try {
            byte[] imprint = org.puente.envelope.Fingerprints.sha256(line.checkpoint());
            VerifiedTimeStamp t = new TimeStampVerifier(org.puente.envelope.trust.TrustMaterial.certificates(trust.roots, null))
                    .verify(line.timestamp(), imprint);
            out.printf("timestamp: the checkpoint existed at %s (RFC 3161, %s)%n", t.genTime(), t.tsaSubject());
            return true;
        } catch (PuenteException e) {
            out.println("timestamp: INVALID: " + e.errorCode().code() + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * The peer's cosignature of a checkpoint holding the export's last entry: required and checked
     * with --peer-trust; otherwise only reported.
     */
    private boolean witness(PrintWriter out, PrintWriter err, ExportFile file, String signer) {
        java.util.Optional<ExportFormat.WitnessLine> line = file.witness();
        java.util.Optional<SignerTrust> peer = trust.peerTrust();
        if (peer.isEmpty()) {
            out.println(line.isPresent() ? "witness: present, not checked (give --peer-trust ROOT.pem to require the peer's cosignature)"
                    : "witness: none (give --peer-trust ROOT.pem to require the peer's cosignature)");
            return true;
        }
        if (line.isEmpty() || file.header().lastSeq() == 0) {
            out.println("witness: MISSING: no checkpoint cosigned by the peer held entry " + file.header().lastSeq()
                    + " when the export was made; export again after the next checkpoint");
            return false;
        }
        try {
            CosignatureContent c = WitnessCheck.check(line.get(), file.header().gateway(), file.header().lastSeq(),
                    file.header().lastHash(), new WitnessCheck.Trusts(trust.verifier(), AuditKeys.trust(trust.signerTrust(
                            signer, new PrintWriter(java.io.Writer.nullWriter()))), AuditKeys.trust(peer.get())));
            out.printf("witness: cosigned by %s (%s) at %s: tree size %d, root %s, holds entry %d%n", c.witness(),
                    c.witnessCountry(), c.cosignedAt(), c.treeSize(), c.rootHash(), file.header().lastSeq());
            return timestamp(out, line.get());
        } catch (WitnessCheck.Failure f) {
            out.println("witness: FAILED: " + f.getMessage());
            return false;
        }
    }
}
