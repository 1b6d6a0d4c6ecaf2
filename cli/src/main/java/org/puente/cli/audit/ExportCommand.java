package org.puente.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.puente.cli.exit.ExitCodes;
import org.puente.cli.agency.AgencyConnection;
import org.puente.cli.envelope.KeystorePassword;
import org.puente.model.CanonicalJson;
import org.puente.model.error.PuenteException;
import org.puente.audit.export.ExportFile;
import org.puente.audit.export.ExportFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code puente audit export}: asks a gateway's auditor API for a period of its audit log and
 * writes the signed export as two files, {@code OUT} (JSON Lines) and {@code OUT.p7s} (the
 * gateway's detached CMS signature over it), which {@code verify} and {@code openssl cms} check.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a period of a gateway's audit log through its auditor API (operations listener,",
                "auditor certificate). Writes OUT and OUT.p7s; the export itself is audited (EXPORT_MADE)."})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--gateway", required = true, paramLabel = "URL",
            description = "The gateway's operations listener, e.g. https://localhost:7443")
    URI gateway;

    @Option(names = "--cert", required = true, paramLabel = "AUDITOR.p12", description = "Your auditor client certificate and key.")
    Path cert;

    @Option(names = "--ca", required = true, paramLabel = "ROOT.pem", description = "Root CA that issued the gateway's TLS certificate.")
    Path ca;

    @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "One UTC day.")
    LocalDate day;

    @Option(names = "--from", paramLabel = "TIME", description = "Start (inclusive), a date or an instant.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End (exclusive), a date or an instant.")
    String to;

    @Option(names = "--out", required = true, paramLabel = "OUT.jsonl", description = "Where to write the export.")
    Path out;

    @Mixin
    KeystorePassword password = new KeystorePassword();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter w = spec.commandLine().getOut();
        Instant[] period = Period.of(spec.commandLine(), day, from, to);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .sslContext(AgencyConnection.sslContext(cert, password.read(cert), ca)).build();
            URI uri = gateway.resolve("/audit/v1/export?from=" + period[0] + "&to=" + period[1]);
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, out.getFileName().toString(), ".part");
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofHours(1)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(partial));
            if (r.statusCode() != 200) {
                JsonNode error = CanonicalJson.mapper().readTree(Files.readAllBytes(partial));
                Files.deleteIfExists(partial);
                spec.commandLine().getErr().printf("error %s: HTTP %d: %s%n", error.path("code").asText("?"), r.statusCode(),
                        error.path("message").asText(""));
                return ExitCodes.INVALID;
            }
            byte[] signature = detachSignature(partial);
            Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path sig = out.resolveSibling(out.getFileName() + ExportFormat.SIGNATURE_SUFFIX);
            Files.write(sig, signature);
            ExportFormat.Header h = ExportFile.open(out).header();
            w.printf("exported %d entries (%d to %d) and %d checkpoints of %s, %s to %s%n", h.entries(), h.firstSeq(), h.lastSeq(),
                    h.checkpoints(), h.gateway(), h.from(), h.to());
            w.printf("wrote %s (sha256 %s) and %s%n", out, ExportFile.sha256(out), sig);
            return ExitCodes.OK;
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (PuenteException e) {
            spec.commandLine().getErr().println("error " + e.errorCode().code() + ": " + e.sentence(Locale.ENGLISH));
            return ExitCodes.INVALID;
        }
    }

    /** Cuts the last line ({@code {"kind":"signature","cms":...}}) off the file and returns the DER signature. */
    static byte[] detachSignature(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long length = f.length();
            int window = (int) Math.min(length, 1 << 20);
            byte[] tail = new byte[window];
            f.seek(length - window);
            f.readFully(tail);
            int end = tail.length - 1;
            while (end >= 0 && tail[end] == '\n') {
                end--;
            }
            int start = end;
            while (start >= 0 && tail[start] != '\n') {
                start--;
            }
            JsonNode last = CanonicalJson.mapper().readTree(new String(tail, start + 1, end - start, StandardCharsets.UTF_8));
            if (!"signature".equals(last.path("kind").asText()) || !last.path("cms").isTextual()) {
                throw new IOException("the answer does not end with the export's signature");
            }
            f.setLength(length - window + start + 1);
            return Base64.getDecoder().decode(last.path("cms").asText());
        }
    }
}
