package org.puente.system;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.puente.certs.SamplePki;
import org.puente.cli.agency.AgencyConnection;
import org.puente.cli.demo.FreePorts;
import org.puente.cli.demo.GatewayLayout;
import org.puente.cli.demo.GatewayProcess;
import org.puente.cli.demo.LocalExchange;
import org.puente.engine.testing.EmbeddedPostgresServer;
import org.puente.model.Country;

/**
 * Several gateway JVMs per country on one PostgreSQL database per country (the test JVM's
 * embedded server), as a production site runs them: instance {@code i} of each side talks to
 * instance {@code i} of the other. Each instance has its own ports and data folder.
 */
final class GatewayCluster implements AutoCloseable {
    /** One gateway JVM. */
    static final class Instance {
        final Country country;
        final int index;
        final GatewayLayout layout;
        final Map<String, String> extra;
        GatewayProcess process;

        Instance(Country country, int index, GatewayLayout layout, Map<String, String> extra) {
            this.country = country;
            this.index = index;
            this.layout = layout;
            this.extra = extra;
        }

        String name() {
            return country.name().toLowerCase(Locale.ROOT) + index;
        }

        AgencyConnection agency(String agency) {
            return layout.agency(agency, null);
        }

        AgencyConnection operator() {
            return layout.operator();
        }
    }

    final Path work;
    final Path pki;
    final Map<Country, String> databases = new HashMap<>();
    final List<Instance> instances = new ArrayList<>();

    private GatewayCluster(Path work, Path pki) {
        this.work = work;
        this.pki = pki;
    }

    /** {@code perSide} instances per country on the SAMPLE PKI {@code pkiSet}, with {@code more} properties per country. */
    static GatewayCluster start(String name, int perSide, SamplePki pkiSet, Map<Country, Map<String, String>> more) {
        Path work = LocalExchange.home().resolve("system-tests/target/system").resolve(name);
        Path pki = work.resolve("pki");
        pkiSet.writeTo(pki, SamplePki.samplePassword());
        GatewayCluster cluster = new GatewayCluster(work, pki);
        for (Country c : Country.values()) {
            cluster.databases.put(c, EmbeddedPostgresServer.createDatabase());
        }
        int[][][] ports = new int[2][perSide][3];
        for (int side = 0; side < 2; side++) {
            for (int i = 0; i < perSide; i++) {
                ports[side][i] = new int[] {FreePorts.next(), FreePorts.next(), FreePorts.next()};
            }
        }
        for (Country c : Country.values()) {
            int side = c.ordinal();
            for (int i = 0; i < perSide; i++) {
                int[] own = ports[side][i];
                GatewayLayout layout = new GatewayLayout(c, pki, work.resolve(c.name().toLowerCase(Locale.ROOT) + (i + 1)),
                        own[0], own[1], own[2], ports[1 - side][i][1], SamplePki.samplePassword());
                Map<String, String> extra = new HashMap<>(SystemExchange.FAST);
                extra.put("puente.db.url", cluster.databases.get(c));
                extra.put("puente.db.user", EmbeddedPostgresServer.user());
                extra.put("puente.db.instance-id", String.valueOf(i + 1));
                extra.putAll(more.getOrDefault(c, Map.of()));
                cluster.instances.add(new Instance(c, i + 1, layout, extra));
            }
        }
        cluster.instances.forEach(GatewayCluster::launch);
        cluster.instances.forEach(in -> in.process.awaitReady(Duration.ofSeconds(180)));
        return cluster;
    }

    private static void launch(Instance in) {
        String name = "gateway-" + in.country.name().toLowerCase(Locale.ROOT);
        Path jar = LocalExchange.home().resolve(name).resolve("target").resolve(name + ".jar");
        in.process = GatewayProcess.start(jar, in.layout, in.extra, in.layout.dataDir().resolve("gateway.log"),
                List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"));
    }

    Instance instance(Country c, int index) {
        return instances.stream().filter(i -> i.country == c && i.index == index).findFirst().orElseThrow();
    }

    /** SIGKILL, as a crash. */
    void kill(Instance in) {
        in.process.kill();
    }

    /**
     * Starts killed instances again, side by side, each under its name; the names of those that did
     * not take it (nor, with it, their predecessor's leases).
     */
    List<String> restart(Instance... killed) {
        Map<Instance, LogWatch> logs = new java.util.LinkedHashMap<>();
        for (Instance in : killed) {
            logs.put(in, new LogWatch(in.layout.dataDir().resolve("gateway.log")));
            launch(in);
        }
        logs.keySet().forEach(in -> in.process.awaitReady(Duration.ofSeconds(180)));
        return logs.entrySet().stream().filter(e -> !e.getValue().await(CrashRig.NAME_TAKEN, Duration.ofSeconds(5)))
                .map(e -> e.getKey().name()).toList();
    }

    java.sql.Connection database(Country c) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(databases.get(c) + "?stringtype=unspecified", EmbeddedPostgresServer.user(), "");
    }

    String pki(Country c, String file) {
        return pki.resolve(c.name().toLowerCase(Locale.ROOT)).resolve(file).toString();
    }

    @Override
    public void close() {
        GatewayProcess.stopAll(instances.stream().map(in -> in.process).filter(java.util.Objects::nonNull).toList());
    }

    static void progress(String line) {
        new PrintWriter(System.out, true).println(line);
    }
}
