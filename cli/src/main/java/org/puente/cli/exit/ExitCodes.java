package org.puente.cli.exit;

/**
 * The exit codes of every {@code puente} command, the same everywhere: 0 success, 1 invalid input,
 * 2 usage error. A leaf of the command line that the root command and each subcommand read, so
 * the subcommands need not depend on the command tree that lists them.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int INVALID = 1;
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
