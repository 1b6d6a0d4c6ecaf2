package org.puente.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.puente.certs.PkiProfile;
import org.puente.cli.exit.ExitCodes;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.Country;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code puente demo}, the main job: both gateways on this machine with a fresh SAMPLE PKI and
 * embedded databases, simulated agencies of both countries submitting every message type both
 * ways and pulling their mailboxes, and a summary of what happened.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs both gateways (US and MX) on this machine with a fresh SAMPLE PKI and embedded databases,",
                "has simulated agencies submit every message type both ways, pull and acknowledge their",
                "mailboxes, and prints a summary. --keep-running leaves the gateways up afterwards."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--work", defaultValue = "demo-data", paramLabel = "DIR",
            description = "work folder for the PKI, databases and logs (default: ${DEFAULT-VALUE})")
    Path work;

    @Option(names = "--keep-running", description = "leave both gateways running after the summary (Ctrl-C stops them)")
    boolean keepRunning;

    @Option(names = "--profile", defaultValue = "ec-p256", paramLabel = "ec-p256|ec-p384|rsa-3072|ml-kem-768-ml-dsa-65|hybrid-p256-ml-kem-768-ml-dsa-65",
            description = "key algorithm profile of the sample PKI (default: ${DEFAULT-VALUE})")
    String profile;

    @Spec
    CommandSpec spec;

    /** The whole {@code puente} command tree, for the auditors' part (passed in: the tree lists this command). */
    private final Supplier<CommandLine> puente;

    /** @param puente builds the whole {@code puente} command tree, to run the auditors' commands as typed */
    public DemoCommand(Supplier<CommandLine> puente) {
        this.puente = puente;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("puente demo: two gateways, United States and Mexico, on this machine (SAMPLE keys, not for production)");
        PkiProfile p = PkiProfile.fromCliName(profile);
        String envelopeProfile = LocalExchange.envelopeProfile(p);
        // the demo's gateways live for some twenty seconds: C2 would compile for a run that ends before it pays off,
        // on the cores the run needs (docs/BENCHMARKS.md, "The demo's gateways: C1 only")
        LocalExchange exchange = LocalExchange.prepare(LocalExchange.home(), work, p, true, List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"), out);
        DemoTimeStamping tsa = DemoTimeStamping.start(exchange.layout(Country.US).pki(),
                exchange.layout(Country.US).keystorePassword(), out);
        Map<Country, Map<String, String>> extra = new EnumMap<>(Country.class);
        for (Country c : Country.values()) {
            Map<String, String> props = new java.util.HashMap<>(Map.of("puente.pki.profile", envelopeProfile,
                    "puente.dispatch.retry.initial", "PT0.5S",
                    // checkpoints every few seconds, so the run's are cosigned by the other country before the audit
                    "puente.audit.checkpoint-interval", "PT3S"));
            props.putAll(tsa.properties(c));
            extra.put(c, props);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(exchange::close, "puente-demo-stop"));
        try (tsa) {
            exchange.start(extra);
            java.time.Instant started = java.time.Instant.now();
            DemoRun run = new DemoRun(exchange, out);
            DemoRun.Summary summary = run.run();
            summary.print(out);
            Map<Country, String> sentBy = new EnumMap<>(Country.class);
            for (Tracked t : summary.tracked()) {
                if (t.messageId != null && t.delivered) {
                    sentBy.putIfAbsent(t.item.country(), t.messageId);
                }
            }
            boolean audited = new DemoAudit(exchange, work, out, puente).run(started, sentBy);
            out.println(audited ? "audit: both logs verify, cosigned by the other country, and reconcile; one message of each"
                    + " side proven by its evidence bundle: nothing missing, nothing altered, on either side"
                    : "audit: NOT reconciled: see the lines above");
            if (keepRunning) {
                keepRunning(exchange, out);
            }
            return summary.ok() && audited ? ExitCodes.OK : ExitCodes.INVALID;
        } finally {
            out.println("stopping both gateways");
            out.flush();
            exchange.close();
        }
    }

    private static void keepRunning(LocalExchange exchange, PrintWriter out) throws InterruptedException {
        for (Country c : Country.values()) {
            GatewayLayout l = exchange.layout(c);
            out.printf("gateway-%s keeps running: agency API https://localhost:%d/api/v1, operations https://localhost:%d/ops/v1 (client certificates in %s)%n",
                    c.name().toLowerCase(), l.agencyPort(), l.opsPort(), l.pki().resolve(c.name().toLowerCase()));
        }
        out.println("press Ctrl-C to stop");
        out.flush();
        Thread.currentThread().join();
    }

    /** Keeps the per-message facts of the run. */
    static final class Tracked {
        final Traffic.Item item;
        String messageId;
        int status;
        JsonNode error;
        boolean delivered;
        boolean receipted;
        /** The business status the receiving agency answered, and the answer as the sender's status shows it. */
        String answerGiven;
        JsonNode answerSeen;
        int timesListed;
        boolean payloadIdentical;
        long submittedAtNanos;
        long arrivedAtNanos;

        Tracked(Traffic.Item item) {
            this.item = item;
        }
    }

    static Map<String, AgencyConnection> connections(LocalExchange exchange) {
        Map<String, AgencyConnection> m = new LinkedHashMap<>();
        for (String a : List.of("CBP", "ICE-HSI")) {
            m.put("US/" + a, exchange.layout(Country.US).agency(a, null));
        }
        for (String a : List.of("ANAM", "SAT")) {
            m.put("MX/" + a, exchange.layout(Country.MX).agency(a, null));
        }
        return m;
    }
}
