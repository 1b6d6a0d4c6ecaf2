package org.puente.routes.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own checker ({@code promtool}, Debian package {@code prometheus}; {@code .ci/run}
 * installs it when absent), run as an independent judge of what the gateway exposes.
 */
public final class Promtool {
    /** Exit code and combined output of one run. */
    public record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** The promtool on the PATH, if any. */
    public static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code promtool check metrics}: parses (and lints) an exposition read from standard input. */
    public static Result checkMetrics(String exposition) {
        return run(exposition, "promtool", "check", "metrics");
    }

    /** {@code promtool check rules FILE}. */
    public static Result checkRules(Path rules) {
        return run(null, "promtool", "check", "rules", rules.toString());
    }

    /** {@code promtool test rules FILE}: the alert unit tests. */
    public static Result testRules(Path tests) {
        return run(null, "promtool", "test", "rules", tests.toString());
    }

    private static Result run(String stdin, String... command) {
        try {
            Path out = Files.createTempFile("promtool", ".out");
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("promtool did not finish: " + new ArrayList<>(List.of(command)));
            }
            String output = Files.readString(out);
            Files.delete(out);
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
