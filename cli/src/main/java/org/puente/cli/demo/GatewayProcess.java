package org.puente.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.Country;

/**
 * One gateway running as its own JVM ({@code java -jar gateway-xx.jar}), as in production: the
 * demo, the load generator and the system tests (which kill it with SIGKILL) start it this way.
 */
public final class GatewayProcess implements AutoCloseable {
    private final Country country;
    private final Process process;
    private final GatewayLayout layout;
    private final Path log;
    private final ClassArchive classes;

    private GatewayProcess(Country country, Process process, GatewayLayout layout, Path log, ClassArchive classes) {
        this.country = country;
        this.process = process;
        this.layout = layout;
        this.log = log;
        this.classes = classes;
    }

    /** Starts the gateway of {@code layout.country()}; its output goes to {@code log}. */
    public static GatewayProcess start(Path jar, GatewayLayout layout, Map<String, String> extra, Path log,
                                       List<String> jvmOptions) {
        return start(jar.toString(), null, layout, extra, log, jvmOptions);
    }

    /**
     * As above, running {@code mainClass} on {@code classpath} instead of the jar's Main-Class (the
     * benchmark relay); with no main class, {@code classpath} is the jar run with {@code -jar}.
     */
    public static GatewayProcess start(String classpath, String mainClass, GatewayLayout layout, Map<String, String> extra,
                                       Path log, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        // JDK 17.0.15 crashes (SIGSEGV in KlassFactory::check_shared_class_file_load_hook) when a
        // flight recording starts in a JVM that maps a dynamic class archive: a profiled gateway goes without
        boolean recordsFlight = jvmOptions.stream().anyMatch(o -> o.contains("FlightRecording"));
        ClassArchive classes = mainClass == null && !recordsFlight ? ClassArchive.forJar(Path.of(classpath)) : null;
        if (classes != null) {
            cmd.addAll(classes.jvmOptions());
        }
        layout.properties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        extra.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        if (mainClass == null) {
            cmd.add("-jar");
            cmd.add(classpath);
        } else {
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(mainClass);
        }
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("PUENTE_KEYSTORE_PASSWORD", new String(layout.keystorePassword()));
            return new GatewayProcess(layout.country(), pb.start(), layout, log, classes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + layout.country() + " gateway", e);
        }
    }

    /** Waits until the gateway answers its readiness check (operator certificate, ops listener). */
    public Duration awaitReady(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        AgencyConnection ops = layout.connection("operator", URI.create("https://localhost:" + layout.opsPort()), null);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + country + " gateway exited with code " + process.exitValue()
                        + "; see " + log);
            }
            try {
                if (ops.get("/ops/v1/health/ready").status() == 200) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("the " + country + " gateway was not ready within " + timeout + "; see " + log);
    }

    public Country country() {
        return country;
    }

    public GatewayLayout layout() {
        return layout;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL: no shutdown hook, no flush — what a crash looks like. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
        if (classes != null) {
            classes.discard();
        }
    }

    /** SIGTERM: the gateway finishes in-flight work and closes its database. */
    public void stop() {
        signalStop();
        awaitStop();
    }

    /** Stops {@code processes} side by side: each takes ~0.8 s to finish its work and close its database. */
    public static void stopAll(java.util.Collection<GatewayProcess> processes) {
        processes.forEach(GatewayProcess::signalStop);
        processes.forEach(GatewayProcess::awaitStop);
    }

    /** Sends SIGTERM and returns at once (several gateways then stop side by side). */
    private void signalStop() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /** After {@link #signalStop}: waits for the exit, SIGKILL after 40 s. */
    private void awaitStop() {
        boolean clean = true;
        if (process.isAlive()) {
            if (!waitFor(Duration.ofSeconds(40))) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(10));
                clean = false;
            }
        }
        if (classes != null) {
            // killed from outside (SIGKILL: 128 + 9) before this stop: whatever it recorded is incomplete
            if (clean && !process.isAlive() && process.exitValue() != 137) {
                classes.exitedCleanly();
            } else {
                classes.discard();
            }
        }
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
