package org.puente.cli.audit;

import org.puente.cli.audit.evidence.EvidenceCommand;
import org.puente.cli.audit.evidence.VerifyEvidenceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code puente audit}: what an auditor runs — verify, export, show one message, reconcile both
 * countries, gather and verify the evidence for one message, check one Merkle proof.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Verify, export and reconcile the hash-chained audit log (docs/audit.md).",
                "Exit codes: 0 verified / reconciled, 1 broken, mismatched or invalid input, 2 usage error."},
        subcommands = {VerifyCommand.class, ExportCommand.class, ShowCommand.class, ReconcileCommand.class,
                EvidenceCommand.class, VerifyEvidenceCommand.class, ProofCommand.class})
public final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: see 'puente audit --help'.");
    }
}
