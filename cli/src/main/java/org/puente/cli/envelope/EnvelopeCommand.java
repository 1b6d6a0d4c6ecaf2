package org.puente.cli.envelope;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code puente envelope}: seal, open and inspect CMS envelopes by hand, to debug the link with the partner. */
@Command(name = "envelope", mixinStandardHelpOptions = true,
        description = "Seal, open and inspect Puente envelopes (CMS SignedData inside AuthEnvelopedData).",
        subcommands = {SealCommand.class, OpenCommand.class, InspectCommand.class})
public final class EnvelopeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: see 'puente envelope --help'.");
    }
}
