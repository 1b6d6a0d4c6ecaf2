package org.puente.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code puente}: the one command line for people — agency developers, operators, auditors and
 * the engineers who debug the link between the two gateways.
 *
 * <p>Exit codes are the same everywhere: 0 success, 1 invalid input, 2 usage error.
 */
@Command(name = "puente",
        mixinStandardHelpOptions = true,
        versionProvider = PuenteVersion.class,
        description = "Puente: secure customs data exchange between the United States and Mexico.",
        subcommands = {CommandLine.HelpCommand.class})
public final class PuenteCommand implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INVALID = 1;
    public static final int EXIT_USAGE = 2;

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
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_INVALID);
        cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
        cl.getCommandSpec().exitCodeOnExecutionException(EXIT_INVALID);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
