package org.puente.cli;

import org.puente.cli.exit.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code puente}: the one command line for people — agency developers, operators, auditors and
 * the engineers who debug the link between the two gateways.
 *
 * <p>Exit codes are the same everywhere ({@link ExitCodes}): 0 success, 1 invalid input, 2 usage error.
 */
@Command(name = "puente",
        mixinStandardHelpOptions = true,
        versionProvider = PuenteVersion.class,
        description = "Puente: secure customs data exchange between the United States and Mexico.",
        subcommands = {CommandLine.HelpCommand.class})
public final class PuenteCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: see 'puente --help'.");
    }

    /** Builds the command tree; every subcommand registers here. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PuenteCommand());
        for (Object sub : Subcommands.all()) {
            cl.addSubcommand(sub);
        }
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.INVALID);
        cl.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        cl.getCommandSpec().exitCodeOnExecutionException(ExitCodes.INVALID);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
