package org.puente.envelope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every envelope benchmark the way docs/BENCHMARKS.md reports them: one fork, one thread,
 * 3×1 s warm-up, 5×1 s measurement, with the GC profiler (allocated bytes per operation).
 * Results go to {@code envelope/target/jmh/*.json}. Started by the {@code jmh} Maven profile.
 *
 * <p>Arguments: none for everything, or {@code quick} for a smoke run (1 iteration of 200 ms).
 */
public final class RunAllBenchmarks {
    private RunAllBenchmarks() {
    }

    public static void main(String[] args) throws RunnerException, java.io.IOException {
        boolean quick = args.length > 0 && args[0].equals("quick");
        Path dir = Path.of("target", "jmh");
        Files.createDirectories(dir);
        run(base(quick, dir.resolve("primitives.json")).include(PrimitivesBenchmark.class.getName()));
        run(base(quick, dir.resolve("envelope.json")).include(EnvelopeBenchmark.class.getName()));
        run(base(quick, dir.resolve("envelope-bc-only.json")).include(EnvelopeBenchmark.class.getName())
                .param("profile", "EC_P256_AES256GCM").param("size", "4096", "65536", "1048576")
                .param("providers", "BOUNCY_CASTLE_ONLY"));
        run(base(quick, dir.resolve("receipts.json")).include(ReceiptBenchmark.class.getName()));
    }

    private static ChainedOptionsBuilder base(boolean quick, Path result) {
        ChainedOptionsBuilder b = new OptionsBuilder().forks(1).threads(1).addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON).result(result.toString()).shouldFailOnError(true);
        return quick
                ? b.warmupIterations(1).warmupTime(TimeValue.milliseconds(200)).measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(200))
                : b.warmupIterations(3).warmupTime(TimeValue.seconds(1)).measurementIterations(5)
                        .measurementTime(TimeValue.seconds(1));
    }

    private static void run(ChainedOptionsBuilder options) throws RunnerException {
        new Runner(options.build()).run();
    }
}
