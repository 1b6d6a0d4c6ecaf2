package org.puente.envelope.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.puente.envelope.AlgorithmProfile;
import org.puente.envelope.CryptoProviders;
import org.puente.envelope.EnvelopeOpener;
import org.puente.envelope.EnvelopeSealer;
import org.puente.envelope.Gateways;
import org.puente.model.EnvelopeHeader;

/**
 * The 1.5× target of issue 3 measured in CPU time per operation (ThreadMXBean), which a machine
 * shared with other work distorts far less than wall-clock JMH scores: seal + open of a 4 KB
 * message against the sum of the primitives it is made of, P-256 profile, both provider choices.
 * Each figure is the median of 5 rounds of 1,000 operations after 2,000 warm-up operations.
 *
 * <pre>java -cp CLASSPATH org.puente.envelope.bench.CpuTimeComparison</pre>
 */
public final class CpuTimeComparison {
    private static final int WARMUP = 2000;
    private static final int ROUNDS = 5;
    private static final int OPS = 1000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuTimeComparison() {
    }

    @FunctionalInterface
    interface Op {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        PrimitivesBenchmark p = new PrimitivesBenchmark();
        p.setUp();
        Map<String, Double> us = new LinkedHashMap<>();
        us.put("ecdsaP256Sign", cpu(p::ecdsaP256Sign));
        us.put("ecdsaP256Verify", cpu(p::ecdsaP256Verify));
        us.put("ecKeyPairP256", cpu(p::ecKeyPairP256));
        us.put("ecdhP256", cpu(p::ecdhP256));
        us.put("aesGcm4kJdk", cpu(p::aesGcm4kJdk));
        us.put("aesGcm4kBc", cpu(p::aesGcm4kBc));
        us.put("sha256of4kJdk", cpu(p::sha256of4kJdk));
        us.put("sha256of4kBc", cpu(p::sha256of4kBc));
        us.put("pkixValidationP256", cpu(p::pkixValidationP256));

        Gateways g = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);
        EnvelopeHeader header = Gateways.header();
        byte[] payload = new byte[4096];
        new Random(1).nextBytes(payload);
        for (CryptoProviders cp : CryptoProviders.values()) {
            EnvelopeSealer sealer = new EnvelopeSealer(g.usKeys, g.profile, cp, java.time.Clock.systemUTC());
            EnvelopeOpener opener = new EnvelopeOpener(g.mxKeys, g.mxTrust(), g.profile, cp,
                    EnvelopeOpener.DEFAULT_MAX_PAYLOAD_BYTES);
            byte[] envelope = sealer.seal(header, payload, g.mxEncryption()).bytes();
            us.put("seal4k " + cp, cpu(() -> sealer.seal(header, payload, g.mxEncryption())));
            us.put("open4k " + cp, cpu(() -> opener.open(envelope, header)));
        }
        us.forEach((k, v) -> System.out.printf("%-32s %9.1f us CPU/op%n", k, v));

        // a 4 KB envelope carries ~6.6 KB of ciphertext (payload, header JSON, 3 certificates): GCM counted as 2 x 4 KB
        double sealPrims = us.get("ecdsaP256Sign") + us.get("ecKeyPairP256") + us.get("ecdhP256")
                + 2 * us.get("aesGcm4kJdk") + us.get("sha256of4kJdk");
        double openPrims = us.get("ecdhP256") + 2 * us.get("aesGcm4kJdk") + us.get("sha256of4kJdk")
                + us.get("ecdsaP256Verify");
        double total = us.get("seal4k RECOMMENDED") + us.get("open4k RECOMMENDED");
        System.out.printf("primitives: seal %.1f + open %.1f = %.1f us; seal+open %.1f us = %.2f x primitives%n",
                sealPrims, openPrims, sealPrims + openPrims, total, total / (sealPrims + openPrims));
    }

    private static double cpu(Op op) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            op.run();
        }
        List<Double> rounds = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS; i++) {
                op.run();
            }
            rounds.add((THREADS.getCurrentThreadCpuTime() - t0) / 1e3 / OPS);
        }
        rounds.sort(Double::compare);
        return rounds.get(ROUNDS / 2);
    }
}
