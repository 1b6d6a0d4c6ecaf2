package org.puente.engine.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.security.auth.x500.X500Principal;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.catalogue.MessageCatalogue;

/**
 * Reads and validates the {@code puente.*} keys (see a gateway's commented
 * {@code application.properties}) into a {@link GatewayConfig}. The first bad key stops the
 * gateway with one line naming it.
 */
public final class GatewayConfigLoader {
    private final MessageCatalogue catalogue;

    public GatewayConfigLoader(MessageCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * The message catalogue this gateway validates against ({@code puente.catalogue.file}, a
     * {@code catalogue.json} whose schema paths are relative to its folder), or the built-in one.
     * Both gateways must run catalogues that agree: a schema version one side does not have is
     * refused by it ({@code unsupported_schema_version}).
     */
    public static MessageCatalogue catalogue(Function<String, Optional<String>> source) {
        Settings s = settings(source);
        Optional<String> file = s.optional("puente.catalogue.file").filter(v -> !v.isBlank());
        return file.isEmpty() ? MessageCatalogue.standard()
                : MessageCatalogue.load(s.readableFile("puente.catalogue.file", file.get()));
    }

    /** A PKCS#11 token when {@code puente.pki.pkcs11.library} is set, else the PKCS#12 keystore. */
    private static GatewayConfig.Keys keys(Settings s, Settings pkiSettings) {
        String passwordEnv = s.text("puente.pki.keystore.password-env", "PUENTE_KEYSTORE_PASSWORD");
        Optional<String> library = s.optional("puente.pki.pkcs11.library").filter(v -> !v.isBlank());
        Duration overlap = s.duration("puente.pki.rotation-overlap", Duration.ofDays(7));
        if (library.isEmpty()) {
            return new GatewayConfig.Keys(pkiSettings.readableFile("puente.pki.keystore"), passwordEnv, Optional.empty(),
                    overlap);
        }
        Map<String, String> labels = new java.util.HashMap<>();
        for (String role : List.of("signing", "encryption", "tls", "audit")) {
            s.optional("puente.pki.pkcs11.label." + role).filter(v -> !v.isBlank()).ifPresent(v -> labels.put(role, v));
        }
        return new GatewayConfig.Keys(null, passwordEnv, Optional.of(new GatewayConfig.Pkcs11(
                s.readableFile("puente.pki.pkcs11.library", library.get()),
                s.integer("puente.pki.pkcs11.slot-index", 0, 0, 1024),
                s.text("puente.pki.pkcs11.pin-env", "PUENTE_PKCS11_PIN"), Map.copyOf(labels))), overlap);
    }

    /** The settings, with relative paths resolved against {@code puente.base-dir} (default: the working folder). */
    private static Settings settings(Function<String, Optional<String>> source) {
        Path base = Path.of(source.apply("puente.base-dir").filter(s -> !s.isBlank()).orElse(".")).toAbsolutePath();
        return new Settings(source, base);
    }

    public GatewayConfig load(Function<String, Optional<String>> source) {
        Settings s = settings(source);
        Country country = s.enumValue("puente.country", Country.class, null);
        String gatewayName = s.required("puente.gateway.name");

        Settings pkiSettings = new Settings(source, s.directory("puente.pki.dir", "."));
        GatewayConfig.Pki pki = new GatewayConfig.Pki(keys(s, pkiSettings),
                nonEmpty("puente.pki.trust.own", pkiSettings.readableFiles("puente.pki.trust.own")),
                nonEmpty("puente.pki.trust.peer", pkiSettings.readableFiles("puente.pki.trust.peer")),
                pkiSettings.readableFiles("puente.pki.crls"),
                s.text("puente.pki.profile", "EC_P256_AES256GCM"),
                pkiSettings.readableFiles("puente.pki.trust.intermediates"),
                s.bool("puente.sample", false));

        GatewayConfig.Peer peer = new GatewayConfig.Peer(
                s.required("puente.peer.name"),
                s.httpsUrl("puente.peer.url"),
                pkiSettings.readableFile("puente.peer.encryption-certificate"),
                s.duration("puente.peer.connect-timeout", Duration.ofSeconds(5)),
                s.duration("puente.peer.request-timeout", Duration.ofSeconds(30)),
                s.duration("puente.peer.request-timeout-per-mib", Duration.ofSeconds(1)));
        if (peer.gatewayName().equalsIgnoreCase(gatewayName)) {
            throw Settings.invalid("puente.peer.name", "must differ from puente.gateway.name");
        }

        String host = s.text("puente.listen.host", "0.0.0.0");
        GatewayConfig.Listeners listeners = new GatewayConfig.Listeners(host,
                s.integer("puente.listen.agency-port", 8443, 1, 65535),
                s.integer("puente.listen.peer-port", 9443, 1, 65535),
                s.integer("puente.listen.ops-port", 7443, 1, 65535),
                s.integer("puente.listen.loopback-metrics-port", 0, 0, 65535));
        if (listeners.agencyPort() == listeners.peerPort() || listeners.agencyPort() == listeners.opsPort()
                || listeners.peerPort() == listeners.opsPort()) {
            throw Settings.invalid("puente.listen.*-port", "the agency, peer and operations listeners need three different ports");
        }

        GatewayConfig.Database database = new GatewayConfig.Database(s.optional("puente.db.url"),
                s.text("puente.db.user", ""), s.text("puente.db.password-env", "PUENTE_DB_PASSWORD"),
                s.integer("puente.db.pool-size", 16, 2, 256),
                s.duration("puente.data.payload-retention", Duration.ofDays(30)), s.optional("puente.db.instance-id"));
        database.jdbcUrl().filter(u -> !u.startsWith("jdbc:postgresql:"))
                .ifPresent(u -> {
                    throw Settings.invalid("puente.db.url", "must be a jdbc:postgresql: URL (or empty for the embedded database)");
                });
        database.instanceId().filter(id -> !id.matches("[A-Za-z0-9._-]{1,32}"))
                .ifPresent(id -> {
                    throw Settings.invalid("puente.db.instance-id", "must be 1 to 32 letters, digits, '.', '_' or '-'");
                });
        // a lease owner, gateway/instance/run (a UUID), fits the 100 characters of work.lease_owner
        int room = 100 - gatewayName.length() - 38;
        database.instanceId().filter(id -> id.length() > room)
                .ifPresent(id -> {
                    throw Settings.invalid("puente.db.instance-id", "is too long beside puente.gateway.name: at most "
                            + Math.max(room, 0) + " characters here");
                });

        GatewayConfig.Dispatch dispatch = new GatewayConfig.Dispatch(
                s.integer("puente.dispatch.concurrency", 4, 1, 64),
                s.integer("puente.dispatch.batch-size", 32, 1, 500),
                s.duration("puente.dispatch.retry.initial", Duration.ofSeconds(1)),
                s.duration("puente.dispatch.retry.max", Duration.ofMinutes(5)),
                s.duration("puente.dispatch.lease", Duration.ofMinutes(2)),
                s.duration("puente.dispatch.poll-interval", Duration.ofMillis(500)),
                new GatewayConfig.ReservedLanes(s.integer("puente.dispatch.urgent-concurrency", 1, 1, 64),
                        s.integer("puente.dispatch.bulk-concurrency", 1, 1, 64)));

        long maxPayload = s.longValue("puente.limits.max-payload-bytes", 64L * 1024 * 1024, 1024, 1024L * 1024 * 1024);
        GatewayConfig.Limits limits = new GatewayConfig.Limits(maxPayload,
                s.integer("puente.limits.max-outbox-backlog", 100_000, 1, Integer.MAX_VALUE),
                s.integer("puente.limits.max-batch-items", 500, 1, 10_000),
                new GatewayConfig.RequestBodies(
                        s.longValue("puente.limits.agency-request-bytes", RequestLimits.agency(maxPayload), 1024, Long.MAX_VALUE),
                        s.longValue("puente.limits.peer-request-bytes", RequestLimits.peer(maxPayload), 1024, Long.MAX_VALUE),
                        s.longValue("puente.limits.ops-request-bytes", RequestLimits.OPS, 1024, Long.MAX_VALUE),
                        new GatewayConfig.BodyPace(s.duration("puente.limits.body-grace", Duration.ofSeconds(30)),
                                s.longValue("puente.limits.body-min-bytes-per-second", 1024 * 1024, 1024, 1L << 30))),
                s.longValue("puente.limits.processing-bytes", RequestLimits.processing(Runtime.getRuntime().maxMemory()),
                        1024, Long.MAX_VALUE));

        List<ClientEntry> clients = clients(s, country);
        Map<String, GatewayConfig.AgencyPush> push = push(s, clients);
        Path dataDir = s.directory("puente.data.dir", "data");
        return new GatewayConfig(country, gatewayName, dataDir, pki, peer,
                listeners, database, List.copyOf(clients), dispatch, limits, Map.copyOf(push), AuditSettings.read(s, dataDir));
    }

    private List<ClientEntry> clients(Settings s, Country country) {
        List<ClientEntry> clients = new ArrayList<>();
        for (String id : s.list("puente.clients")) {
            String prefix = "puente.client." + id + ".";
            ClientEntry.Role role = s.enumValue(prefix + "role", ClientEntry.Role.class, null);
            Optional<String> agency = s.optional(prefix + "agency");
            if (role == ClientEntry.Role.AGENCY) {
                String a = agency.orElseThrow(() -> Settings.invalid(prefix + "agency", "is missing for an agency client"));
                if (catalogue.agency(new AgencyRef(country, a)).isEmpty()) {
                    throw Settings.invalid(prefix + "agency", "names " + country + "/" + a + ", which is not an agency of the catalogue");
                }
            } else if (agency.isPresent()) {
                throw Settings.invalid(prefix + "agency", "is only for clients with role agency");
            }
            Optional<X500Principal> subject = s.optional(prefix + "subject").map(v -> principal(prefix + "subject", v));
            Optional<X500Principal> issuer = s.optional(prefix + "issuer").map(v -> principal(prefix + "issuer", v));
            Optional<String> sha256 = s.optional(prefix + "sha256").map(v -> v.replace(":", "").toLowerCase(Locale.ROOT));
            if (subject.isEmpty() && sha256.isEmpty()) {
                throw Settings.invalid(prefix + "subject", "is missing: give the certificate subject and issuer, or its sha256 fingerprint");
            }
            if (subject.isPresent() && issuer.isEmpty()) {
                throw Settings.invalid(prefix + "issuer", "is missing: a subject is recognised only together with the CA that"
                        + " issued it (the issuer of the client's certificate, e.g. your issuing CA's subject)");
            }
            sha256.filter(v -> !v.matches("[0-9a-f]{64}")).ifPresent(v -> {
                throw Settings.invalid(prefix + "sha256", "must be 64 hex digits");
            });
            clients.add(new ClientEntry(id, role, agency, subject, sha256, issuer));
        }
        if (clients.isEmpty()) {
            throw Settings.invalid("puente.clients", "is missing: list the client ids (agency systems, operators, auditors)");
        }
        return clients;
    }

    private static Map<String, GatewayConfig.AgencyPush> push(Settings s, List<ClientEntry> clients) {
        Map<String, GatewayConfig.AgencyPush> push = new LinkedHashMap<>();
        for (ClientEntry c : clients) {
            if (c.agency().isEmpty()) {
                continue;
            }
            String key = "puente.client." + c.id() + ".push-url";
            if (s.optional(key).isPresent()) {
                push.put(c.agency().get(), new GatewayConfig.AgencyPush(c.agency().get(), s.httpsUrl(key)));
            }
        }
        return push;
    }

    private static X500Principal principal(String key, String value) {
        try {
            return new X500Principal(value);
        } catch (IllegalArgumentException e) {
            throw Settings.invalid(key, "is not an X.500 name: '" + value + "'");
        }
    }

    private static <T> List<T> nonEmpty(String key, List<T> list) {
        if (list.isEmpty()) {
            throw Settings.invalid(key, "is missing");
        }
        return list;
    }
}
