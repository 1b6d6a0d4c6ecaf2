package org.puente.cli;

import java.util.List;
import org.puente.cli.audit.AuditCommand;
import org.puente.cli.demo.DemoCommand;
import org.puente.cli.load.LoadCommand;
import org.puente.cli.envelope.EnvelopeCommand;
import org.puente.cli.pki.PkiCommand;
import org.puente.cli.validate.ValidateCommand;

/** The list of top-level commands, kept in one place so each command stays in its own package. */
final class Subcommands {
    private Subcommands() {
    }

    static List<Object> all() {
        return List.of(
                new DemoCommand(PuenteCommand::commandLine),
                new LoadCommand(),
                new ValidateCommand(),
                new PkiCommand(),
                new EnvelopeCommand(),
                new AuditCommand());
    }
}
