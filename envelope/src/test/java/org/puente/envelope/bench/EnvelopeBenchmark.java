package org.puente.envelope.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.EnvelopeOpener;
import org.puente.envelope.EnvelopeSealer;
import org.puente.envelope.Gateways;
import org.puente.envelope.OpenedEnvelope;
import org.puente.envelope.SealedEnvelope;
import org.puente.model.EnvelopeHeader;

/**
 * Seal and open, one thread, every profile and payload size, with the recommended provider split.
 * The opener's trust cache is warm, as it is in a running gateway (one peer certificate).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EnvelopeBenchmark {
    @Param({"EC_P256_AES256GCM", "EC_P384_AES256GCM", "RSA3072_AES256GCM", "ML_KEM_768_ML_DSA_65"})
    public String profile;
    @Param({"1024", "4096", "65536", "1048576"})
    public int size;
    @Param({"RECOMMENDED"})
    public String providers;

    private EnvelopeHeader header;
    private byte[] payload;
    private Gateways gateways;
    private EnvelopeSealer sealer;
    private EnvelopeOpener opener;
    private byte[] envelope;

    @Setup
    public void setUp() {
        AlgorithmProfile p = AlgorithmProfile.valueOf(profile);
        CryptoProviders cp = CryptoProviders.valueOf(providers);
        gateways = Gateways.of(p);
        header = Gateways.header();
        payload = new byte[size];
        new Random(1).nextBytes(payload);
        sealer = new EnvelopeSealer(gateways.usKeys, p, cp, java.time.Clock.systemUTC());
        opener = new EnvelopeOpener(gateways.mxKeys, gateways.mxTrust(), p, cp, EnvelopeOpener.DEFAULT_MAX_PAYLOAD_BYTES);
        envelope = sealer.seal(header, payload, gateways.mxEncryption()).bytes();
        opener.open(envelope, header);
    }

    @Benchmark
    public SealedEnvelope seal() {
        return sealer.seal(header, payload, gateways.mxEncryption());
    }

    @Benchmark
    public OpenedEnvelope open() {
        return opener.open(envelope, header);
    }
}
