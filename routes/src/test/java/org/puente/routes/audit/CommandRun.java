package org.puente.routes.audit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.puente.cli.PuenteCommand;

/** Runs {@code puente} in this JVM, or an outside tool (openssl, python3) as a process, and keeps its exit code and output. */
record CommandRun(int exit, String out, String err) {

    /** {@code puente ARGS}, in-process through picocli as the {@code puente} script runs it. */
    static CommandRun puente(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = PuenteCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }

    /** An outside command; its standard error goes through a file in {@code scratch}. */
    static CommandRun process(Path scratch, List<String> command) {
        try {
            Path stderr = Files.createTempFile(scratch, "stderr", ".txt");
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectError(stderr.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not finish within 60 s: " + command);
            }
            return new CommandRun(p.exitValue(), out, Files.readString(stderr));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether the command runs and exits 0 (a tool that is installed). */
    static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
