package org.puente.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.puente.certs.PkiProfile;
import org.puente.certs.SamplePki;
import org.puente.model.Country;

/**
 * Both gateways on this machine, each in its own JVM, with a fresh SAMPLE PKI and embedded
 * databases under one work folder: the setting of {@code puente demo}, {@code puente load} and
 * the system tests.
 */
public final class LocalExchange implements AutoCloseable {
    /** The documented default ports; free ones are taken instead when these are busy. */
    private static final Map<Country, int[]> DEFAULT_PORTS = Map.of(
            Country.US, new int[] {8443, 9443, 7443},
            Country.MX, new int[] {8444, 9444, 7444});

    private final Path home;
    private final Map<Country, GatewayLayout> layouts;
    private final Map<Country, GatewayProcess> processes = new EnumMap<>(Country.class);
    private final Map<Country, Duration> readyAfter = new EnumMap<>(Country.class);
    private final List<String> jvmOptions;
    private final PrintWriter progress;
    private String mainClass;

    private LocalExchange(Path home, Map<Country, GatewayLayout> layouts, List<String> jvmOptions, PrintWriter progress) {
        this.home = home;
        this.layouts = layouts;
        this.jvmOptions = jvmOptions;
        this.progress = progress;
    }

    /**
     * Prepares the work folder: a fresh SAMPLE PKI in {@code work/pki} and a data folder per
     * gateway. Nothing is started yet.
     *
     * @param home the Puente checkout (where {@code gateway-us/target/gateway-us.jar} is)
     */
    public static LocalExchange prepare(Path home, Path work, PkiProfile profile, boolean freshData, List<String> jvmOptions,
                                        PrintWriter progress) {
        return prepare(home, work, profile, freshData, jvmOptions, progress, true);
    }

    /**
     * As above; {@code preferDefaultPorts} false always takes free ports (tests that may run
     * beside a demo or another test run).
     */
    public static LocalExchange prepare(Path home, Path work, PkiProfile profile, boolean freshData, List<String> jvmOptions,
                                        PrintWriter progress, boolean preferDefaultPorts) {
        Path pki = work.resolve("pki");
        SamplePki.generate(profile, Clock.systemUTC()).writeTo(pki, SamplePki.samplePassword());
        progress.printf("SAMPLE PKI for US and MX (%s) written to %s%n", profile.cliName(), pki);
        boolean defaultsFree = preferDefaultPorts && DEFAULT_PORTS.values().stream().flatMapToInt(java.util.Arrays::stream).allMatch(LocalExchange::isFree);
        Map<Country, int[]> ports = new EnumMap<>(Country.class);
        for (Country c : Country.values()) {
            ports.put(c, defaultsFree ? DEFAULT_PORTS.get(c) : new int[] {freePort(), freePort(), freePort()});
        }
        Map<Country, GatewayLayout> layouts = new EnumMap<>(Country.class);
        for (Country c : Country.values()) {
            Path data = work.resolve(c.name().toLowerCase(Locale.ROOT));
            if (freshData) {
                deleteTree(data);
            }
            int[] own = ports.get(c);
            layouts.put(c, new GatewayLayout(c, pki, data, own[0], own[1], own[2], ports.get(c.peer())[1],
                    SamplePki.samplePassword()));
        }
        return new LocalExchange(home, layouts, jvmOptions, progress);
    }

    /**
     * Runs {@code mainClass} instead of the gateways, from {@code bench/target/bench.jar} ahead of
     * each gateway jar (its libraries and its country's configuration): the benchmark relay, which
     * the gateway jars do not carry.
     */
    public LocalExchange withMainClass(String name) {
        this.mainClass = name;
        return this;
    }

    /** Starts both gateways at once and waits until each is ready. */
    public LocalExchange start(Map<Country, Map<String, String>> extraProperties) {
        return start(extraProperties, false);
    }

    /**
     * Starts both gateways and waits until each is ready; {@code oneAtATime} starts the second only
     * once the first is ready, so that each start is timed alone, from its launch to its readiness.
     */
    public LocalExchange start(Map<Country, Map<String, String>> extraProperties, boolean oneAtATime) {
        for (Country c : Country.values()) {
            long launched = System.nanoTime();
            start(c, extraProperties.getOrDefault(c, Map.of()));
            if (oneAtATime) {
                awaitReady(c, launched);
            }
        }
        if (!oneAtATime) {
            long launched = System.nanoTime();
            for (Country c : Country.values()) {
                awaitReady(c, launched);
            }
        }
        return this;
    }

    private void awaitReady(Country c, long launchedNanos) {
        processes.get(c).awaitReady(Duration.ofSeconds(120));
        Duration d = Duration.ofNanos(System.nanoTime() - launchedNanos);
        readyAfter.put(c, d);
        GatewayLayout l = layouts.get(c);
        progress.printf("gateway-%s ready in %.1f s (agency :%d, peer :%d, operations :%d; log %s)%n",
                c.name().toLowerCase(Locale.ROOT), d.toMillis() / 1000.0, l.agencyPort(), l.peerPort(), l.opsPort(),
                processes.get(c).log());
        progress.flush();
    }

    /** How long each gateway took from its launch to its first ready answer, at the last {@code start}. */
    public Map<Country, Duration> readyAfter() {
        return Collections.unmodifiableMap(new EnumMap<>(readyAfter));
    }

    /** Starts (or restarts) one gateway without waiting. */
    public GatewayProcess start(Country c, Map<String, String> extraProperties) {
        GatewayLayout l = layouts.get(c);
        String name = "gateway-" + c.name().toLowerCase(Locale.ROOT);
        Path jar = home.resolve(name).resolve("target").resolve(name + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw -DskipTests package");
        }
        String classpath = jar.toString();
        if (mainClass != null) {
            Path bench = home.resolve("bench").resolve("target").resolve("bench.jar");
            if (!Files.isRegularFile(bench)) {
                throw new IllegalStateException(bench + " is missing: build with ./mvnw -DskipTests package");
            }
            classpath = bench + java.io.File.pathSeparator + jar;
        }
        GatewayProcess p = GatewayProcess.start(classpath, mainClass, l, extraProperties, l.dataDir().resolve("gateway.log"),
                jvmOptions);
        processes.put(c, p);
        return p;
    }

    public GatewayLayout layout(Country c) {
        return layouts.get(c);
    }

    public GatewayProcess process(Country c) {
        return processes.get(c);
    }

    @Override
    public void close() {
        GatewayProcess.stopAll(processes.values());
    }

    private static boolean isFree(int port) {
        return org.puente.cli.demo.FreePorts.isFree(port);
    }

    static int freePort() {
        return org.puente.cli.demo.FreePorts.next();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The gateways' {@code puente.pki.profile} for a sample PKI of {@code profile}. */
    public static String envelopeProfile(PkiProfile profile) {
        return switch (profile) {
            case EC_P256 -> "EC_P256_AES256GCM";
            case EC_P384 -> "EC_P384_AES256GCM";
            case RSA_3072 -> "RSA3072_AES256GCM";
            case ML_KEM_768_ML_DSA_65 -> "ML_KEM_768_ML_DSA_65";
            case HYBRID_P256_ML_KEM_768_ML_DSA_65 -> "HYBRID_P256_ML_KEM_768_ML_DSA_65";
        };
    }

    /** The Puente checkout: {@code -Dpuente.home} (set by the {@code ./puente} script), else the working directory. */
    public static Path home() {
        return Path.of(System.getProperty("puente.home", ".")).toAbsolutePath().normalize();
    }
}
