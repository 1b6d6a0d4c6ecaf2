package org.puente.cli.load;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.puente.certs.PkiProfile;
import org.puente.cli.exit.ExitCodes;
import org.puente.cli.agency.AgencyConnection;
import org.puente.cli.demo.LocalExchange;
import org.puente.model.Country;
import org.puente.model.Priority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code puente load}: starts both gateways on this machine, pushes N messages of a chosen type
 * and size through one gateway's agency API and waits for all of them in the other's mailbox;
 * prints throughput and submission-to-mailbox latency percentiles.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Pushes N messages through the agency API of one gateway and waits for them in the mailbox on",
                "the other side; prints throughput and latency percentiles (submission to mailbox, from the",
                "gateways' own timestamps). Starts both gateways on this machine with fresh databases."})
public final class LoadCommand implements Callable<Integer> {
    @Option(names = {"-n", "--count"}, defaultValue = "1000", description = "messages to send (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--size", defaultValue = "4096", description = "approximate payload size in bytes (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--type", defaultValue = "cargo.manifest", description = "message type (default: ${DEFAULT-VALUE})")
    String type;

    @Option(names = "--from", defaultValue = "US", description = "sending country, US or MX (default: ${DEFAULT-VALUE})")
    Country from;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "16", description = "parallel submitting clients (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--batch", defaultValue = "1", description = "messages per request: 1 = one request each, up to 500 (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--rate", defaultValue = "0", description = "offered load in messages/s, 0 = as fast as possible (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--priority", defaultValue = "NORMAL", paramLabel = "URGENT|NORMAL|BULK",
            description = "priority of the load's messages (default: ${DEFAULT-VALUE})")
    Priority priority;

    @Option(names = "--urgent-every", defaultValue = "0", paramLabel = "MS", description = {
            "also submit one URGENT message every MS milliseconds until the whole load has arrived, and",
            "print the latency of each priority apart: what a flood does to URGENT (default: ${DEFAULT-VALUE} = none)"})
    long urgentEveryMillis;

    @Option(names = "--work", defaultValue = "load-data", description = "work folder (default: ${DEFAULT-VALUE})")
    Path work;

    @Option(names = "--warmup", defaultValue = "0", description = {"messages sent the same way before the measured run,",
            "which starts once they have all arrived (default: ${DEFAULT-VALUE}; 0 = one message)"})
    int warmup;

    @Option(names = "--profile", defaultValue = "ec-p256", paramLabel = "ec-p256|ec-p384|rsa-3072|ml-kem-768-ml-dsa-65|hybrid-p256-ml-kem-768-ml-dsa-65",
            description = "algorithm profile of the sample PKI and the envelopes (default: ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--relay", description = "run the same load through the plain Camel HTTPS relay (no validation, signing, encryption or persistence): the baseline")
    boolean relay;

    @Option(names = "--gateway-opts", defaultValue = "-Xmx1g", split = " ", description = "JVM options of each gateway (default: ${DEFAULT-VALUE})")
    List<String> gatewayOptions;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the run's figures to FILE as JSON")
    Path json;

    @Option(names = "--min-throughput", defaultValue = "0", paramLabel = "MSG_PER_S", description = {
            "exit with status 1 when the throughput is below this (a guard against gross regressions;",
            "default: ${DEFAULT-VALUE} = no minimum)"})
    double minThroughput;

    @Option(names = "--start-one-at-a-time", description = {"start the second gateway only once the first is ready, so that",
            "each prints its own cold start (launch to ready) without the other starting beside it"})
    boolean oneAtATime;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (batch < 1 || batch > 500 || count < 1 || concurrency < 1 || warmup < 0 || urgentEveryMillis < 0
                || minThroughput < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--batch 1..500, --count and --concurrency >= 1, --warmup, --urgent-every and --min-throughput >= 0");
        }
        LoadMessages.Document doc = LoadMessages.build(type, from, size, priority);
        out.printf("puente load: %d x %s %s (%d-byte payload, %d-byte document) %s -> %s, %d clients, %s%s, profile %s%n",
                count, priority, type, doc.payloadBytes(), doc.bytes().length, from, from.peer(), concurrency,
                batch == 1 ? "one message per request" : batch + " messages per request",
                rate > 0 ? String.format(", offered at %.0f msg/s", rate) : "", profile);
        if (urgentEveryMillis > 0) {
            out.printf("probe: one URGENT message every %d ms until the load has arrived%n", urgentEveryMillis);
        }
        PkiProfile pki = PkiProfile.fromCliName(profile);
        Map<Country, Map<String, String>> extra = new EnumMap<>(Country.class);
        for (Country c : Country.values()) {
            extra.put(c, Map.of("puente.limits.max-outbox-backlog", String.valueOf(Math.max(100_000, (count + warmup) * 2)),
                    "puente.pki.profile", LocalExchange.envelopeProfile(pki)));
        }
        try (LocalExchange exchange = LocalExchange.prepare(LocalExchange.home(), work, pki, true,
                gatewayOptions, out)) {
            if (relay) {
                exchange.withMainClass("org.puente.bench.PlainRelayMain");
                out.println("baseline: plain Camel HTTPS relay, no validation, signing, encryption, persistence or audit");
            }
            exchange.start(extra, oneAtATime);
            List<AgencyConnection> senders = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                senders.add(exchange.layout(from).agency(doc.senderAgency(), null));
            }
            AgencyConnection receiver = exchange.layout(from.peer()).agency(doc.receiverAgency(), null);
            long cursor = 0;
            if (warmup > 0) {
                out.printf("warm-up: %d messages, not measured%n", warmup);
                cursor = new LoadRun(senders, receiver, doc.bytes(), warmup, batch, rate, out).run().cursor();
            } else {
                warmUp(senders.get(0), receiver, doc.bytes());
            }
            Map<String, Long> pids = new LinkedHashMap<>();
            for (Country c : List.of(from, from.peer())) {
                pids.put(c.name(), exchange.process(c).pid());
            }
            CpuMeter cpu = new CpuMeter(pids).start();
            LoadRun.Result r = new LoadRun(senders, receiver, doc.bytes(), count, batch, rate, out)
                    .probing(urgentEveryMillis == 0 ? Optional.empty() : Optional.of(new LoadRun.Probe(
                            LoadMessages.build(type, from, size, Priority.URGENT).bytes(), Duration.ofMillis(urgentEveryMillis),
                            exchange.layout(from).agency(doc.senderAgency(), null))))
                    .run(cursor);
            Map<String, Duration> used = cpu.used();
            out.printf("accepted %d, refused %d, arrived %d in %.1f s%n", r.accepted(), r.refused(), r.arrived(),
                    r.elapsed().toMillis() / 1000.0);
            out.printf("throughput %.0f messages/s (first created to last stored)%n", r.throughput());
            out.printf("latency submission -> mailbox: %s%n", Latency.of(r.latenciesMicros()).summary());
            if (r.byPriority().size() > 1) {
                r.byPriority().forEach((level, micros) -> out.printf("  %s (%d): %s%n", level, micros.size(),
                        Latency.of(micros).summary()));
            }
            CpuMeter.print(out, used, r.arrived());
            if (json != null) {
                Map<String, Duration> ready = new LinkedHashMap<>();
                exchange.readyAfter().forEach((c, d) -> ready.put(c.name(), d));
                LoadReport.write(json, LoadReport.of(new LoadReport.Setup(type, from.name(), count, warmup, batch, concurrency,
                        rate, priority.name(), profile, relay, gatewayOptions, oneAtATime), ready, r, used, minThroughput));
                out.printf("figures written to %s%n", json);
            }
            boolean complete = r.arrived() == r.accepted() && r.refused() == 0;
            if (minThroughput > 0 && r.throughput() < minThroughput) {
                out.printf("FAILED: throughput %.0f messages/s is below the minimum of %.0f%n", r.throughput(), minThroughput);
                return ExitCodes.INVALID;
            }
            return complete ? ExitCodes.OK : ExitCodes.INVALID;
        }
    }

    /** One message through first, so that connections and JIT are warm before the clock starts. */
    private static void warmUp(AgencyConnection sender, AgencyConnection receiver, byte[] document) throws InterruptedException {
        String id = sender.submit(document).json().path("messageId").asText();
        for (int i = 0; i < 600; i++) {
            if (receiver.payload(id).status() == 200) {
                receiver.acknowledge(id);
                return;
            }
            Thread.sleep(50);
        }
    }
}
