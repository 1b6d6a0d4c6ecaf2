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
import org.puente.audit.export.ExportFile;
import org.puente.model.Country;
import picocli.CommandLine;

/**
 * The auditors' part of the demo: each country's auditor exports the run's period of its own
 * gateway's audit log through the auditor API, verifies it — chain, checkpoints, the other
 * country's cosignature and the time-stamp — and the two exports are reconciled with
 * {@code puente audit reconcile} — the same commands docs/audit.md gives auditors, run here
 * as they would type them.
 */
final class DemoAudit {
    /** Between attempts that wait for the other country's cosignature (each attempt is audited as an export). */
    private static final java.time.Duration RETRY = java.time.Duration.ofMillis(500);

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

    /**
     * Exports, verifies and reconciles the period {@code [from, now]}, then has each auditor prove
     * one message its country sent with an evidence bundle; true when all holds.
     *
     * @param sentBy one message of the run per sending country (its id)
     */
    boolean run(Instant from, java.util.Map<Country, String> sentBy) {
        return exportVerifyReconcile(from) && evidence(sentBy);
    }

    /**
     * Each auditor writes the evidence bundle of one message its gateway sent and verifies it
     * offline — entries with inclusion proofs against checkpoints the other country cosigned, the
     * peer's signed receipt and delivery notice — as docs/audit.md gives the commands.
     */
    private boolean evidence(java.util.Map<Country, String> sentBy) {
        out.printf("%neach auditor proves one message of the run with an evidence bundle, checked offline%n");
        Path pki = exchange.layout(Country.US).pki();
        Path password = work.resolve("audit").resolve("sample-password");
        boolean ok = true;
        for (Country c : Country.values()) {
            String id = sentBy.get(c);
            if (id == null) {
                out.printf("  no message of %s to prove%n", c);
                return false;
            }
            GatewayLayout l = exchange.layout(c);
            String name = c.name().toLowerCase(Locale.ROOT);
            String peer = c.peer().name().toLowerCase(Locale.ROOT);
            Path bundle = work.resolve("audit").resolve(name + "-evidence-" + id);
            java.util.function.Function<Path, String[]> args = out -> new String[] {"audit", "evidence", id,
                "--gateway", "https://localhost:" + l.opsPort(),
                "--cert", pki.resolve(name).resolve("auditor.p12").toString(),
                "--ca", pki.resolve(name).resolve("root-ca.pem").toString(), "--out", out.toString(),
                "--trust", pki.resolve(name).resolve("root-ca.pem").toString(),
                "--peer-trust", pki.resolve(peer).resolve("root-ca.pem").toString(),
                "--crl", pki.resolve(name).resolve("root-ca.crl.pem").toString(),
                pki.resolve(name).resolve("issuing-ca.crl.pem").toString(), pki.resolve(peer).resolve("root-ca.crl.pem").toString(),
                pki.resolve(peer).resolve("issuing-ca.crl.pem").toString(),
                "--password-file", password.toString()};
            // the message's last entries may wait for the next cosigned checkpoint (every few seconds here)
            Path trial = work.resolve("audit").resolve(name + "-evidence-trial");
            Instant giveUp = Instant.now().plusSeconds(60);
            while (Instant.now().isBefore(giveUp)) {
                deleteTree(trial);
                if (quiet(args.apply(trial)) == ExitCodes.OK) {
                    break;
                }
                sleepUntil(Instant.now().plus(RETRY));
            }
            deleteTree(trial);
            ok &= puente(args.apply(bundle)) == ExitCodes.OK
                    && puente("audit", "verify-evidence", bundle.toString()) == ExitCodes.OK;
        }
        return ok;
    }

    private boolean exportVerifyReconcile(Instant from) {
        out.printf("%nauditors of both countries export the run from their gateway's audit log, verify and reconcile%n");
        Path dir = work.resolve("audit");
        Path password = writePassword(dir);
        Instant start = from.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        // 1 to 2 s after the last answer the summary saw, so the peer's own entries of it fall inside
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
        // a second past it: an entry stamped inside the period is committed before the export
        sleepUntil(end.plusSeconds(1));
        List<Path> exports = new ArrayList<>();
        Path pki = exchange.layout(Country.US).pki();
        boolean verified = true;
        for (Country c : Country.values()) {
            String name = c.name().toLowerCase(Locale.ROOT);
            Path export = dir.resolve(name + "-export.jsonl");
            exports.add(export);
            if (!exportWitnessed(c, export, start, end, password)) {
                return false;
            }
            String peer = c.peer().name().toLowerCase(Locale.ROOT);
            verified &= puente("audit", "verify", export.toString(),
                    "--trust", pki.resolve(name).resolve("root-ca.pem").toString(),
                    "--crl", pki.resolve(name).resolve("root-ca.crl.pem").toString(),
                    pki.resolve(name).resolve("issuing-ca.crl.pem").toString(),
                    pki.resolve(peer).resolve("root-ca.crl.pem").toString(),
                    pki.resolve(peer).resolve("issuing-ca.crl.pem").toString(),
                    "--peer-trust", pki.resolve(peer).resolve("root-ca.pem").toString(),
                    "--peer-signer", "gateway." + peer + ".puente.sample") == ExitCodes.OK;
        }
        return verified && puente("audit", "reconcile", exports.get(0).toString(), exports.get(1).toString(),
                "--us-root", pki.resolve("us").resolve("root-ca.pem").toString(),
                "--mx-root", pki.resolve("mx").resolve("root-ca.pem").toString()) == ExitCodes.OK;
    }

    /**
     * Exports the period until the export carries the other country's cosignature of a checkpoint
     * that holds its last entry (the gateways checkpoint and cosign every few seconds in the demo);
     * the attempts before are not shown.
     */
    private boolean exportWitnessed(Country c, Path export, Instant start, Instant end, Path password) {
        GatewayLayout l = exchange.layout(c);
        String name = c.name().toLowerCase(Locale.ROOT);
        String[] args = {"audit", "export", "--gateway", "https://localhost:" + l.opsPort(),
            "--cert", l.pki().resolve(name).resolve("auditor.p12").toString(),
            "--ca", l.pki().resolve(name).resolve("root-ca.pem").toString(),
            "--from", start.toString(), "--to", end.toString(), "--out", export.toString(),
            "--password-file", password.toString()};
        Instant giveUp = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(giveUp)) {
            if (quiet(args) == ExitCodes.OK && ExportFile.open(export).witness().isPresent()) {
                break;
            }
            sleepUntil(Instant.now().plus(RETRY));
        }
        return puente(args) == ExitCodes.OK;
    }

    private int quiet(String... args) {
        CommandLine cl = puente.get();
        cl.setOut(new PrintWriter(java.io.Writer.nullWriter()));
        cl.setErr(new PrintWriter(java.io.Writer.nullWriter()));
        return cl.execute(args);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleepUntil(Instant t) {
        long ms = java.time.Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
