package org.puente.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.puente.cli.exit.ExitCodes;
import org.puente.model.Country;
import picocli.CommandLine;

/**
 * The auditors' part of the demo: each country's auditor exports the run's period of its own
 * gateway's audit log through the auditor API, and the two exports are verified and reconciled
 * with {@code puente audit reconcile} — the same commands docs/audit.md gives auditors, run here
 * as they would type them.
 */
final class DemoAudit {
    private final LocalExchange exchange;
    private final Path work;
    private final PrintWriter out;
    private final Supplier<CommandLine> puente;

    /** @param puente builds the whole {@code puente} command tree (the root command passes it down) */
    DemoAudit(LocalExchange exchange, Path work, PrintWriter out, Supplier<CommandLine> puente) {
        this.exchange = exchange;
        this.work = work;
        this.out = out;
        this.puente = puente;
    }

    /** Exports, verifies and reconciles the period {@code [from, now]}; true when all holds. */
    boolean run(Instant from) {
        out.printf("%nauditors of both countries export the run from their gateway's audit log, verify and reconcile%n");
        Path dir = work.resolve("audit");
        Path password = writePassword(dir);
        Instant start = from.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
        List<Path> exports = new ArrayList<>();
        for (Country c : Country.values()) {
            GatewayLayout l = exchange.layout(c);
            String name = c.name().toLowerCase(Locale.ROOT);
            Path export = dir.resolve(name + "-export.jsonl");
            exports.add(export);
            if (puente("audit", "export", "--gateway", "https://localhost:" + l.opsPort(),
                    "--cert", l.pki().resolve(name).resolve("auditor.p12").toString(),
                    "--ca", l.pki().resolve(name).resolve("root-ca.pem").toString(),
                    "--from", start.toString(), "--to", end.toString(), "--out", export.toString(),
                    "--password-file", password.toString()) != ExitCodes.OK) {
                return false;
            }
        }
        Path pki = exchange.layout(Country.US).pki();
        return puente("audit", "reconcile", exports.get(0).toString(), exports.get(1).toString(),
                "--us-root", pki.resolve("us").resolve("root-ca.pem").toString(),
                "--mx-root", pki.resolve("mx").resolve("root-ca.pem").toString()) == ExitCodes.OK;
    }

    /** Runs one {@code puente} command line and prints what it printed, indented. */
    private int puente(String... args) {
        StringWriter text = new StringWriter();
        CommandLine cl = puente.get();
        cl.setOut(new PrintWriter(text));
        cl.setErr(new PrintWriter(text));
        int code = cl.execute(args);
        out.printf("  $ puente %s%n", String.join(" ", args).replace(work.toAbsolutePath() + "/", "")
                .replace(work + "/", ""));
        text.toString().lines().forEach(line -> out.printf("    %s%n", line));
        out.flush();
        return code;
    }

    /** The SAMPLE keystore password, in a file only this user can read (never on a command line). */
    private Path writePassword(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("sample-password");
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, new String(exchange.layout(Country.US).keystorePassword()), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
