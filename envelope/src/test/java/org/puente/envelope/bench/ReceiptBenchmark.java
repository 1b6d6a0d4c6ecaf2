package org.puente.envelope.bench;

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
import org.puente.envelope.Gateways;
import org.puente.envelope.OpenedEnvelope;
import org.puente.envelope.SealedEnvelope;
import org.puente.envelope.receipt.Receipt;
import org.puente.envelope.receipt.Receipts;
import org.puente.model.EnvelopeHeader;

/**
 * Signing a receipt (receiver) and verifying it (sender). A receipt names the envelope by its
 * SHA-256, so its cost does not depend on the payload size; measured once per profile.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReceiptBenchmark {
    @Param({"EC_P256_AES256GCM", "EC_P384_AES256GCM", "RSA3072_AES256GCM"})
    public String profile;

    private Receipts mxReceipts;
    private Receipts usReceipts;
    private OpenedEnvelope opened;
    private SealedEnvelope sealed;
    private byte[] receipt;

    @Setup
    public void setUp() {
        Gateways g = Gateways.of(AlgorithmProfile.valueOf(profile));
        EnvelopeHeader header = Gateways.header();
        sealed = g.usSealer().seal(header, new byte[4096], g.mxEncryption());
        opened = g.mxOpener().open(sealed.bytes(), header);
        mxReceipts = g.mxReceipts();
        usReceipts = g.usReceipts();
        receipt = mxReceipts.receipt(opened);
        usReceipts.verifyReceipt(receipt, header.messageId(), sealed.sha256());
    }

    @Benchmark
    public byte[] receipt() {
        return mxReceipts.receipt(opened);
    }

    @Benchmark
    public Receipt verifyReceipt() {
        return usReceipts.verifyReceipt(receipt, opened.header().messageId(), sealed.sha256());
    }
}
