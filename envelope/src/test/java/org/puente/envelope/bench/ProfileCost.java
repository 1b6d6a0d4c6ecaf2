package org.puente.envelope.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.puente.envelope.EnvelopeOpener;
import org.puente.envelope.EnvelopeSealer;
import org.puente.envelope.Gateways;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.model.EnvelopeHeader;

/**
 * The cost of each algorithm profile: CPU time and allocation per seal and per open of one message
 * (ThreadMXBean, one thread), and the size of its envelope. Each profile in its own JVM (the JIT
 * compiles shared code for whatever ran first): 3,000 warm-up operations of each, then rounds of
 * 200 operations; the figure is the median over rounds.
 *
 * <pre>java -cp CLASSPATH org.puente.envelope.bench.ProfileCost PROFILE [payloadBytes] [rounds]</pre>
 * e.g. {@code ML_KEM_768_ML_DSA_65 4096 15}.
 */
public final class ProfileCost {
    private static final int WARMUP_OPS = 3000;
    private static final int OPS_PER_ROUND = 200;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ProfileCost() {
    }

    public static void main(String[] args) throws Exception {
        AlgorithmProfile profile = AlgorithmProfile.valueOf(args[0]);
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Gateways g = Gateways.of(profile);
        EnvelopeSealer sealer = g.usSealer();
        EnvelopeOpener opener = g.mxOpener();
        byte[] payload = new byte[size];
        new Random(1).nextBytes(payload);
        EnvelopeHeader header = Gateways.header();
        byte[] envelope = sealer.seal(header, payload, g.mxEncryption()).bytes();
        for (int i = 0; i < WARMUP_OPS; i++) {
            opener.open(sealer.seal(header, payload, g.mxEncryption()).bytes(), header);
        }
        double[] seal = new double[rounds];
        double[] open = new double[rounds];
        double[] sealAlloc = new double[rounds];
        double[] openAlloc = new double[rounds];
        long thread = Thread.currentThread().getId();
        for (int r = 0; r < rounds; r++) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long bytes = THREADS.getThreadAllocatedBytes(thread);
            for (int i = 0; i < OPS_PER_ROUND; i++) {
                sealer.seal(header, payload, g.mxEncryption());
            }
            seal[r] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1000.0 / OPS_PER_ROUND;
            sealAlloc[r] = (THREADS.getThreadAllocatedBytes(thread) - bytes) / 1024.0 / OPS_PER_ROUND;
            cpu = THREADS.getCurrentThreadCpuTime();
            bytes = THREADS.getThreadAllocatedBytes(thread);
            for (int i = 0; i < OPS_PER_ROUND; i++) {
                opener.open(envelope, header);
            }
            open[r] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1000.0 / OPS_PER_ROUND;
            openAlloc[r] = (THREADS.getThreadAllocatedBytes(thread) - bytes) / 1024.0 / OPS_PER_ROUND;
        }
        System.out.printf("%s payload %d B: envelope %d B; seal %.1f µs (%.1f..%.1f), open %.1f µs (%.1f..%.1f);"
                        + " allocated seal %.0f KiB, open %.0f KiB%n", profile.cliName(), size, envelope.length,
                median(seal), min(seal), max(seal), median(open), min(open), max(open), median(sealAlloc),
                median(openAlloc));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
