package org.puente.cli.audit;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.puente.cli.exit.ExitCodes;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.model.error.PuenteException;
import org.puente.audit.verify.AuditVerification;
import org.puente.audit.export.ExportFile;
import org.puente.audit.export.ExportReconciler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code puente audit reconcile US.jsonl MX.jsonl}: matches what each side SENT with what the
 * other STORED over the period of two exports — matched, missing on either side, mismatched
 * envelope digests — after verifying both exports when the two roots are given.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Reconcile two exports of the same period, one from each country's gateway.",
                "Exit code 0: zero missing and zero mismatched in both directions; 1 otherwise."})
public final class ReconcileCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPORT-1.jsonl")
    Path first;

    @Parameters(index = "1", paramLabel = "EXPORT-2.jsonl")
    Path second;

    @Option(names = "--us-root", paramLabel = "ROOT.pem", description = "US root CA: verify the US export's signature and chain first.")
    Path usRoot;

    @Option(names = "--mx-root", paramLabel = "ROOT.pem", description = "Mexican root CA: verify the Mexican export first.")
    Path mxRoot;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "Messages this close to the edge of a period are not judged (default ${DEFAULT-VALUE}).")
    Duration grace;

    @CommandLine.Mixin
    EvidenceRules rules = new EvidenceRules();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ExportFile a = ExportFile.open(first);
            ExportFile b = ExportFile.open(second);
            boolean verified = true;
            for (ExportFile f : List.of(a, b)) {
                out.printf("%s: %s of %s (%s), %s to %s, entries %d to %d%n", f.file(), f.header().purpose(),
                        f.header().gateway(), f.header().country(), f.header().from(), f.header().to(), f.header().firstSeq(),
                        f.header().lastSeq());
                verified &= verify(out, f);
            }
            ExportReconciler.Result r = new ExportReconciler(grace).reconcile(a, b);
            print(out, r.first());
            print(out, r.second());
            r.unreadable().forEach(u -> out.println("unreadable line: " + u));
            if (r.reconciled() && verified) {
                out.println("RECONCILED: zero missing and zero mismatched in both directions.");
                return ExitCodes.OK;
            }
            out.println(r.reconciled() ? "NOT RECONCILED: an export does not verify." : "MISMATCH: see the messages listed above.");
            return ExitCodes.INVALID;
        } catch (PuenteException e) {
            spec.commandLine().getErr().println("error " + e.errorCode().code() + ": " + e.sentence(Locale.ENGLISH));
            return ExitCodes.INVALID;
        }
    }

    private boolean verify(PrintWriter out, ExportFile f) {
        Path root = "US".equals(f.header().country()) ? usRoot : mxRoot;
        if (root == null) {
            out.printf("  not verified (give --%s-root to verify its signature and chain first)%n",
                    f.header().country().toLowerCase(Locale.ROOT));
            return true;
        }
        SignerTrust trust = SignerTrust.builder().roots(TrustMaterial.certificates(List.of(root), null))
                .expectedSignerName(f.header().gateway()).noAgeLimit().revocationChecking(false).build();
        AuditVerification.ExportResult v = new AuditVerification(StatementVerifier.anyAgreedProfile(), trust,
                rules.options()).verifyExport(f.file());
        if (v.intact()) {
            out.printf("  verified: signature valid, %d entries intact, %d checkpoints%n", v.chain().entries(), v.chain().checkpoints());
            return true;
        }
        out.printf("  DOES NOT VERIFY: %s%n", v.chain().firstBreak().map(Object::toString)
                .orElse(v.signatureFailure().orElse("?")));
        return false;
    }

    private static void print(PrintWriter out, ExportReconciler.Direction d) {
        out.printf("%s -> %s: %d matched (%d acknowledged by the receiving agency), %d missing at %s, %d missing at %s,"
                        + " %d mismatched, %d unsettled at the edge of the period%n", d.from(), d.to(), d.matched(), d.acknowledged(),
                d.missingAtReceiver().size(), d.to(), d.missingAtSender().size(), d.from(), d.mismatched().size(),
                d.unsettled().size());
        list(out, "sent by " + d.from() + ", never stored by " + d.to(), d.missingAtReceiver());
        list(out, "stored by " + d.to() + ", never sent by " + d.from(), d.missingAtSender());
        list(out, "different envelope digests", d.mismatched());
        ExportReconciler.Answers a = d.answers();
        out.printf("  business answers of %s to %s: %d matched, %d given by %s never received by %s, %d received by %s"
                        + " never given by %s, %d unsettled%n", d.to(), d.from(), a.matched(), a.missingAtSender().size(), d.to(),
                d.from(), a.missingAtReceiver().size(), d.from(), d.to(), a.unsettled().size());
        list(out, "answer given by " + d.to() + ", never received by " + d.from(), a.missingAtSender());
        list(out, "answer received by " + d.from() + ", never given by " + d.to(), a.missingAtReceiver());
    }

    private static void list(PrintWriter out, String what, List<UUID> ids) {
        ids.forEach(id -> out.printf("  %s: %s%n", what, id));
    }
}
