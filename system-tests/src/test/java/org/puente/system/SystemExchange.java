package org.puente.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.puente.certs.PkiProfile;
import org.puente.cli.agency.AgencyConnection;
import org.puente.cli.demo.GatewayLayout;
import org.puente.cli.demo.LocalExchange;
import org.puente.engine.testing.EmbeddedPostgresServer;
import org.puente.model.Country;

/**
 * Both gateways as separate JVMs for one test class, under {@code target/system/<name>}, with
 * short retry delays so that recovery is quick to observe.
 */
final class SystemExchange implements AutoCloseable {
    static final Map<String, String> FAST = Map.of(
            "puente.dispatch.retry.initial", "PT0.2S",
            "puente.dispatch.retry.max", "PT1S",
            "puente.dispatch.poll-interval", "PT0.2S",
            "puente.peer.connect-timeout", "PT1S",
            "puente.peer.request-timeout", "PT10S");

    final LocalExchange exchange;
    final Path work;
    private final Map<Country, Map<String, String>> extra;

    private SystemExchange(LocalExchange exchange, Path work, Map<Country, Map<String, String>> extra) {
        this.exchange = exchange;
        this.work = work;
        this.extra = extra;
    }

    /** Which database the gateways of a test run on. */
    enum Store {
        /** The embedded default: SQLite in each gateway's data folder. */
        SQLITE,
        /** A PostgreSQL database per country in the test JVM's embedded server (zonky). */
        POSTGRESQL;

        Map<Country, Map<String, String>> properties() {
            Map<Country, Map<String, String>> p = new EnumMap<>(Country.class);
            for (Country c : Country.values()) {
                // one named instance per country: a restart takes back what its killed predecessor claimed
                p.put(c, this == SQLITE ? Map.of() : Map.of("puente.db.url", EmbeddedPostgresServer.createDatabase(),
                        "puente.db.user", EmbeddedPostgresServer.user(), "puente.db.instance-id", "1"));
            }
            return p;
        }
    }

    /** Both gateways on {@code store}, with {@code more} properties per country. */
    static SystemExchange start(String name, Store store, Map<Country, Map<String, String>> more) {
        Map<Country, Map<String, String>> all = new EnumMap<>(Country.class);
        Map<Country, Map<String, String>> db = store.properties();
        for (Country c : Country.values()) {
            Map<String, String> p = new HashMap<>(db.get(c));
            p.putAll(more.getOrDefault(c, Map.of()));
            all.put(c, p);
        }
        return start(name, all);
    }

    static SystemExchange start(String name) {
        return start(name, Map.of());
    }

    /** As {@link #start(String)}, with more properties per country (kept for restarts). */
    static SystemExchange start(String name, Map<Country, Map<String, String>> more) {
        return start(name, List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"), more);
    }

    /** As {@link #start(String, Map)}, the gateway JVMs started with {@code jvmOptions}. */
    static SystemExchange start(String name, List<String> jvmOptions, Map<Country, Map<String, String>> more) {
        Path work = LocalExchange.home().resolve("system-tests/target/system").resolve(name);
        PrintWriter progress = new PrintWriter(System.out, true);
        LocalExchange e = LocalExchange.prepare(LocalExchange.home(), work, PkiProfile.EC_P256, true,
                jvmOptions, progress, false);
        Map<Country, Map<String, String>> extra = new EnumMap<>(Country.class);
        for (Country c : Country.values()) {
            Map<String, String> p = new HashMap<>(FAST);
            p.putAll(more.getOrDefault(c, Map.of()));
            extra.put(c, Map.copyOf(p));
        }
        e.start(extra);
        return new SystemExchange(e, work, extra);
    }

    GatewayLayout layout(Country c) {
        return exchange.layout(c);
    }

    AgencyConnection agency(Country c, String agency) {
        return exchange.layout(c).agency(agency, null);
    }

    /** Restarts one gateway (after a stop or a kill) and waits until it is ready. */
    void restart(Country c) {
        exchange.start(c, extra.get(c)).awaitReady(Duration.ofSeconds(120));
    }

    /**
     * Pulls {@code agency}'s mailbox until every id in {@code expected} is there (or the time is
     * up), acknowledging nothing; returns how many times each id was seen in the whole mailbox.
     */
    Map<String, Integer> awaitMailbox(Country c, String agency, Set<String> expected, Duration timeout) {
        AgencyConnection conn = agency(c, agency);
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> seen = new HashMap<>();
        while (true) {
            seen.clear();
            long after = 0;
            while (true) {
                JsonNode page = conn.inbox(after, 500).json();
                JsonNode messages = page.path("messages");
                for (JsonNode m : messages) {
                    seen.merge(m.get("messageId").asText(), 1, Integer::sum);
                }
                if (messages.size() < 500) {
                    break;
                }
                after = page.path("next").asLong();
            }
            if (seen.keySet().containsAll(expected) || System.nanoTime() > deadline) {
                return Map.copyOf(seen);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return Map.copyOf(seen);
            }
        }
    }

    /** Opens a gateway's database: its PostgreSQL database, or its embedded SQLite file. */
    Connection database(Country c) throws SQLException {
        String url = extra.get(c).get("puente.db.url");
        if (url != null) {
            return DriverManager.getConnection(url + "?stringtype=unspecified", extra.get(c).get("puente.db.user"), "");
        }
        Path db = exchange.layout(c).dataDir().resolve("puente.db").toAbsolutePath();
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    /** The {@code puente audit} options that name a gateway's database. */
    List<String> databaseOptions(Country c) {
        String url = extra.get(c).get("puente.db.url");
        return url != null ? List.of("--db", url, "--db-user", extra.get(c).get("puente.db.user"))
                : List.of("--data-dir", exchange.layout(c).dataDir().toString());
    }

    void stop(Country c) {
        exchange.process(c).stop();
    }

    static String lower(Country c) {
        return c.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        exchange.close();
    }
}
