package org.puente.envelope.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.Gateways;
import org.puente.model.EnvelopeHeader;

/**
 * Measures the heap an operation needs: the smallest {@code -Xmx} (8 MiB steps, default G1 GC) at
 * which a fresh JVM completes it, for a 64 MiB payload and for an empty one; the difference divided
 * by the payload size is the memory multiple reported in docs/BENCHMARKS.md.
 *
 * <pre>java -cp "$(cat envelope/target/test-classpath.txt):envelope/target/classes:envelope/target/test-classes" \
 *     org.puente.envelope.bench.MemoryFootprint [payloadMiB]</pre>
 */
public final class MemoryFootprint {
    private static final String[] OPERATIONS = {"open", "seal", "sealStream"};

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("probe")) {
            probe(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
            return;
        }
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        Path dir = Files.createTempDirectory("puente-memory");
        for (int size : new int[] {0, mib}) {
            run(List.of("-Xmx1536m"), "make", dir, size);
            for (String op : OPERATIONS) {
                int need = minimumHeap(op, dir, size);
                System.out.printf("%-10s payload %3d MiB: completes with -Xmx%dm%n", op, size, need);
            }
        }
    }

    private static int minimumHeap(String op, Path dir, int size) throws Exception {
        int low = 8;
        int high = 2048;
        while (high - low > 8) {
            int mid = (low + high) / 2;
            if (run(List.of("-Xmx" + mid + "m"), op, dir, size)) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return high;
    }

    private static boolean run(List<String> jvm, String op, Path dir, int size) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MemoryFootprint.class.getName(), "probe", op,
                dir.toString(), Integer.toString(size)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    /** One operation in this JVM; exits non-zero on OutOfMemoryError. */
    private static void probe(String op, Path dir, int mib) throws IOException {
        Gateways g = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);
        Path headerFile = dir.resolve("header-" + mib + ".json");
        Path payloadFile = dir.resolve("payload-" + mib + ".bin");
        Path envelopeFile = dir.resolve("envelope-" + mib + "-" + ProcessHandle.current().pid() + ".der");
        try {
            switch (op) {
                case "make" -> {
                    EnvelopeHeader h = Gateways.header();
                    byte[] payload = new byte[mib * 1024 * 1024];
                    new Random(mib).nextBytes(payload);
                    Files.write(payloadFile, payload);
                    Files.write(headerFile, org.puente.model.CanonicalJson.bytes(h));
                }
                case "seal" -> {
                    byte[] payload = Files.readAllBytes(payloadFile);
                    g.usSealer().seal(header(headerFile), payload, g.mxEncryption());
                }
                case "sealStream" -> {
                    try (InputStream in = Files.newInputStream(payloadFile);
                         OutputStream out = OutputStream.nullOutputStream()) {
                        g.usSealer().seal(header(headerFile), in, Files.size(payloadFile), g.mxEncryption(), out);
                    }
                }
                case "open" -> {
                    // keys are made per JVM: seal here first, streaming, so no payload-sized array exists yet
                    try (InputStream in = Files.newInputStream(payloadFile);
                         OutputStream out = Files.newOutputStream(envelopeFile)) {
                        g.usSealer().seal(header(headerFile), in, Files.size(payloadFile), g.mxEncryption(), out);
                    }
                    g.mxOpener().open(Files.readAllBytes(envelopeFile), header(headerFile));
                }
                default -> throw new IllegalArgumentException(op);
            }
        } catch (OutOfMemoryError e) {
            System.exit(3);
        }
    }

    private static EnvelopeHeader header(Path file) throws IOException {
        return org.puente.model.CanonicalJson.read(Files.readAllBytes(file), EnvelopeHeader.class);
    }
}
