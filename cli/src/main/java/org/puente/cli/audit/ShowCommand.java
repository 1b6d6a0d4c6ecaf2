package org.puente.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.puente.cli.exit.ExitCodes;
import org.puente.cli.agency.AgencyConnection;
import org.puente.cli.envelope.KeystorePassword;
import org.puente.model.CanonicalJson;
import org.puente.model.error.PuenteException;
import org.puente.audit.export.ExportFile;
import org.puente.audit.export.ExportFormat;
import org.puente.audit.AuditEntry;
import org.puente.audit.store.AuditStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code puente audit show MESSAGE-ID}: the full story of one message — every audit entry about
 * it, from one gateway's API or database, or from exports of both countries side by side.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Print every audit entry about one message, in time order.",
                "From exports (--export, one per country to see both sides), a database, or a gateway's auditor API."})
public final class ShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MESSAGE-ID")
    UUID messageId;

    @Option(names = "--export", arity = "1..*", paramLabel = "FILE.jsonl", description = "Export or archive files to read.")
    List<Path> exports = List.of();

    @Mixin
    DatabaseSource db = new DatabaseSource();

    @Option(names = "--gateway", paramLabel = "URL", description = "A gateway's operations listener (with --cert and --ca).")
    URI gateway;

    @Option(names = "--cert", paramLabel = "AUDITOR.p12", description = "Your auditor certificate (with --gateway).")
    Path cert;

    @Option(names = "--ca", paramLabel = "ROOT.pem", description = "Root CA of the gateway's TLS certificate (with --gateway).")
    Path ca;

    @Mixin
    KeystorePassword password = new KeystorePassword();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        int sources = (exports.isEmpty() ? 0 : 1) + (db.given() ? 1 : 0) + (gateway != null ? 1 : 0);
        if (sources != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Give one source: --export FILE..., --data-dir/--db, or --gateway.");
        }
        List<AuditEntry> story = new ArrayList<>();
        try {
            if (!exports.isEmpty()) {
                for (Path p : exports) {
                    ExportFile.open(p).entries(e -> {
                        if (messageId.equals(e.event().messageId())) {
                            story.add(e);
                        }
                    }, bad -> { });
                }
            } else if (db.given()) {
                try (Connection c = db.open()) {
                    story.addAll(new AuditStore().story(c, messageId));
                }
            } else {
                story.addAll(fromApi());
            }
        } catch (SQLException | IOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (PuenteException e) {
            spec.commandLine().getErr().println("error " + e.errorCode().code() + ": " + e.sentence(Locale.ENGLISH));
            return ExitCodes.INVALID;
        }
        if (story.isEmpty()) {
            out.printf("no audit entry about message %s%n", messageId);
            return ExitCodes.INVALID;
        }
        story.sort(Comparator.comparing((AuditEntry e) -> e.event().at()).thenComparing(AuditEntry::seq));
        AuditEntry first = story.get(0);
        out.printf("message %s: %s, %s -> %s, legal basis %s, purpose %s, %s%n", messageId, first.event().messageType(),
                first.event().sender(), first.event().receiver(), first.event().legalBasis(), first.event().purpose(),
                first.event().sensitivity());
        out.println(AuditReports.header());
        story.forEach(e -> out.println(AuditReports.line(e)));
        return ExitCodes.OK;
    }

    private List<AuditEntry> fromApi() throws IOException, InterruptedException {
        if (cert == null || ca == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--gateway needs --cert and --ca.");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .sslContext(AgencyConnection.sslContext(cert, password.read(cert), ca)).build();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(gateway.resolve("/audit/v1/messages/" + messageId))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = CanonicalJson.mapper().readTree(r.body());
        if (r.statusCode() == 404) {
            return List.of();
        }
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " " + body.path("code").asText() + ": " + body.path("message").asText());
        }
        List<AuditEntry> out = new ArrayList<>();
        body.path("entries").forEach(n -> out.add(ExportFormat.entry(n)));
        return out;
    }
}
