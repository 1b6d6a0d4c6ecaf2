package org.puente.cli.pki;

import picocli.CommandLine.Command;

/** {@code puente pki}: the SAMPLE public-key infrastructure of both countries. */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "Sample PKI for both countries (SAMPLE - NOT FOR PRODUCTION).",
        subcommands = {PkiGenerateCommand.class})
public final class PkiCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing command: see 'puente pki --help'.");
    }
}
