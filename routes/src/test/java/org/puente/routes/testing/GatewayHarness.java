package org.puente.routes.testing;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.puente.certs.SamplePki;
import org.puente.engine.Gateway;
import org.puente.model.Country;
import org.puente.routes.camel.GatewayAssembly;
import org.puente.routes.camel.GatewayConfiguration;

/**
 * Runs one gateway in this JVM for route-level tests: the real configuration class, real TLS
 * listeners on free ports, the embedded SQLite database ({@code <data dir>/puente.db}) in a
 * temporary folder unless {@code puente.db.url} names a PostgreSQL database. The keystore password
 * comes from {@code PUENTE_KEYSTORE_PASSWORD}, which Surefire sets to the sample password.
 */
public final class GatewayHarness implements AutoCloseable {
    /** The three listener ports of one gateway. */
    public record Ports(int agency, int peer, int ops) {
        public static Ports free() {
            return new Ports(freePort(), freePort(), freePort());
        }
    }

    private final Main main;
    private final Ports ports;
    private final Country country;

    private GatewayHarness(Main main, Ports ports, Country country) {
        this.main = main;
        this.ports = ports;
        this.country = country;
    }

    /** Starts a gateway of {@code country} talking to a peer on {@code peer} ports. */
    public static GatewayHarness start(Country country, Path pki, Path dataDir, Ports own, Ports peer,
                                       Map<String, String> overrides) {
        return start(country, pki, dataDir, own, peer, overrides, context -> { });
    }

    /**
     * A US gateway alone (no peer listening), on a new sample PKI written to {@code dir}/pki, its
     * data in {@code dir}/us: what the tests of a listener's limits start.
     */
    public static GatewayHarness aloneOnNewPki(Path dir, Map<String, String> overrides) {
        return aloneOnNewPki(dir, overrides, context -> { });
    }

    /** {@link #aloneOnNewPki(Path, Map)}, its routes advised before they start. */
    public static GatewayHarness aloneOnNewPki(Path dir, Map<String, String> overrides, BeforeStart beforeStart) {
        SamplePki.generate().writeTo(dir.resolve("pki"), SamplePki.samplePassword());
        return start(Country.US, dir.resolve("pki"), dir.resolve("us"), Ports.free(), Ports.free(), overrides, beforeStart);
    }

    /** A change to the configured routes before they start (AdviceWith): what a route test weaves. */
    @FunctionalInterface
    public interface BeforeStart {
        void advise(CamelContext context) throws Exception;
    }

    /**
     * Starts a gateway like {@link #start(Country, Path, Path, Ports, Ports, Map)}, letting the test
     * advise its routes after they are configured and before they start. (Advising a started route
     * stops it first, and a route fed by a timer and a seda queue never drains: graceful shutdown
     * would wait its whole timeout.)
     */
    public static GatewayHarness start(Country country, Path pki, Path dataDir, Ports own, Ports peer,
                                       Map<String, String> overrides, BeforeStart beforeStart) {
        Map<String, Object> p = new LinkedHashMap<>(properties(country, pki, dataDir, own, peer));
        p.putAll(overrides);
        return launch(country, p, own, beforeStart, null);
    }

    /** Starts a gateway like {@link #start(Country, Path, Path, Ports, Ports, Map)} reading the time from {@code clock}. */
    public static GatewayHarness start(Country country, Path pki, Path dataDir, Ports own, Ports peer,
                                       Map<String, String> overrides, Clock clock) {
        Map<String, Object> p = new LinkedHashMap<>(properties(country, pki, dataDir, own, peer));
        p.putAll(overrides);
        return launch(country, p, own, context -> { }, clock);
    }

    private static GatewayHarness launch(Country country, Map<String, Object> p, Ports own, BeforeStart beforeStart,
                                         Clock clock) {
        Main main = new Main();
        if (clock == null) {
            main.configure().addConfiguration(GatewayConfiguration.class);
        } else {
            main.configure().addConfiguration(new GatewayConfiguration(clock));
        }
        main.configure().setName("puente-" + country.name().toLowerCase());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                try {
                    beforeStart.advise(configured.getCamelContext());
                } catch (Exception e) {
                    throw new IllegalStateException("advising the routes of " + country + " failed", e);
                }
            }
        });
        Properties props = new Properties();
        props.putAll(p);
        main.setOverrideProperties(props);
        try {
            main.start();
        } catch (Exception e) {
            // The root cause in the message: a CI summary prints only the first line of each error.
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalStateException("gateway " + country + " did not start: " + root, e);
        }
        GatewayHarness harness = new GatewayHarness(main, own, country);
        // Readiness opens the agency API on the health schedule (about a second after start): tests
        // that submit at once would otherwise meet 503 not_ready.
        Poll.until(Duration.ofSeconds(60), () -> harness.assembly().admitsWork() ? Optional.of(true) : Optional.empty());
        return harness;
    }

    public static Map<String, String> properties(Country country, Path pki, Path dataDir, Ports own, Ports peer) {
        String c = country.name().toLowerCase();
        String o = country.peer().name().toLowerCase();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("puente.country", country.name());
        p.put("puente.gateway.name", "gateway." + c + ".puente.sample");
        p.put("puente.data.dir", dataDir.toString());
        p.put("puente.pki.dir", pki.toString());
        p.put("puente.pki.keystore", c + "/gateway.p12");
        p.put("puente.pki.trust.own", c + "/root-ca.pem");
        p.put("puente.pki.trust.peer", o + "/root-ca.pem");
        p.put("puente.pki.crls", c + "/root-ca.crl.pem," + c + "/issuing-ca.crl.pem," + o + "/root-ca.crl.pem," + o
                + "/issuing-ca.crl.pem");
        p.put("puente.peer.name", "gateway." + o + ".puente.sample");
        p.put("puente.peer.url", "https://localhost:" + peer.peer());
        p.put("puente.peer.encryption-certificate", o + "/gateway-encryption.chain.pem");
        // the sample PKI's keys are public: a gateway refuses them unless told this is a test
        p.put("puente.sample", "true");
        p.put("puente.peer.connect-timeout", "PT2S");
        p.put("puente.peer.request-timeout", "PT10S");
        p.put("puente.listen.host", "127.0.0.1");
        p.put("puente.listen.agency-port", String.valueOf(own.agency()));
        p.put("puente.listen.peer-port", String.valueOf(own.peer()));
        p.put("puente.listen.ops-port", String.valueOf(own.ops()));
        p.put("puente.dispatch.retry.initial", "PT0.2S");
        p.put("puente.dispatch.retry.max", "PT1S");
        p.put("puente.dispatch.poll-interval", "PT0.2S");
        String sample = ", O=Puente SAMPLE - NOT FOR PRODUCTION, C=" + country.name();
        String issuer = "CN=Puente SAMPLE " + country.name() + " Issuing CA" + sample;
        if (country == Country.US) {
            p.put("puente.clients", "cbp,ice-hsi,cbp-revoked,operator,auditor");
            client(p, "cbp", "agency", "CBP", "CN=CBP agency system, OU=CBP" + sample, issuer);
            client(p, "ice-hsi", "agency", "ICE-HSI", "CN=ICE-HSI agency system, OU=ICE-HSI" + sample, issuer);
            client(p, "cbp-revoked", "agency", "CBP", "CN=CBP agency system (revoked), OU=CBP" + sample, issuer);
        } else {
            p.put("puente.clients", "anam,sat,anam-revoked,operator,auditor");
            client(p, "anam", "agency", "ANAM", "CN=ANAM agency system, OU=ANAM" + sample, issuer);
            client(p, "sat", "agency", "SAT", "CN=SAT agency system, OU=SAT" + sample, issuer);
            client(p, "anam-revoked", "agency", "ANAM", "CN=ANAM agency system (revoked), OU=ANAM" + sample, issuer);
        }
        client(p, "operator", "operator", null, "CN=" + country.name() + " operator, OU=Operations" + sample, issuer);
        client(p, "auditor", "auditor", null, "CN=" + country.name() + " auditor, OU=Audit" + sample, issuer);
        return p;
    }

    private static void client(Map<String, String> p, String id, String role, String agency, String subject, String issuer) {
        p.put("puente.client." + id + ".role", role);
        if (agency != null) {
            p.put("puente.client." + id + ".agency", agency);
        }
        p.put("puente.client." + id + ".subject", subject);
        p.put("puente.client." + id + ".issuer", issuer);
    }

    public Ports ports() {
        return ports;
    }

    public Country country() {
        return country;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public GatewayAssembly assembly() {
        return main.getCamelContext().getRegistry().lookupByNameAndType("puenteGateway", GatewayAssembly.class);
    }

    /** The engine's object graph inside this gateway (its store, queue, services). */
    public Gateway gateway() {
        return assembly().gateway();
    }

    /** A number read with one SQL query through the gateway's own connections (its SQLite file or its PostgreSQL pool). */
    public long count(String sql, Object... params) {
        return gateway().transactions().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The bytes of the one row one SQL query selects (its first column), through the gateway's own connections. */
    public byte[] bytes(String sql, Object... params) {
        return gateway().transactions().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new AssertionError("no row for " + sql + " " + java.util.Arrays.toString(params));
                    }
                    return rs.getBytes(1);
                }
            }
        });
    }

    /** Changes rows behind the gateway's back (one SQL statement through its own connections); returns how many. */
    public int execute(String sql, Object... params) {
        return gateway().transactions().write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    public boolean isStarted() {
        return main.getCamelContext() != null && main.getCamelContext().getStatus() == ServiceStatus.Started;
    }

    @Override
    public void close() {
        try {
            main.stop();
            main.shutdown();
        } catch (Exception e) {
            throw new IllegalStateException("gateway " + country + " did not stop cleanly", e);
        }
    }

    public static int freePort() {
        return org.puente.cli.demo.FreePorts.next();
    }
}
