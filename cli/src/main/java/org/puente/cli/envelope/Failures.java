package org.puente.cli.envelope;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.puente.cli.exit.ExitCodes;
import org.puente.model.error.PuenteException;

/** Prints a refusal as its stable code and sentence (what the partner needs to hear), never a stack trace. */
final class Failures {
    private Failures() {
    }

    static int report(PrintWriter err, RuntimeException e) {
        if (e instanceof PuenteException pe) {
            err.println("error " + pe.errorCode().code() + ": " + pe.sentence(Locale.ENGLISH));
        } else if (e instanceof UncheckedIOException io) {
            err.println("error: " + io.getCause().getMessage());
        } else {
            throw e;
        }
        err.flush();
        return ExitCodes.INVALID;
    }
}
