package org.puente.envelope;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.RecipientInfoFactory;
import org.puente.envelope.keys.SigningKeys;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;

/**
 * Seals a message for the peer gateway: CMS SignedData over the PuenteMessage (header + payload),
 * signed with this gateway's signing key, then CMS AuthEnvelopedData (AES-256-GCM) for the peer's
 * encryption certificate. Thread-safe: every call builds its own generators.
 *
 * <p>Implementation note: both layers are produced by Bouncy Castle's streaming generators, one
 * feeding the other, and the PuenteMessage DER prefix is written by hand, so the payload passes
 * through once (digest, then cipher) and is never copied into an ASN.1 object. The price is that
 * the two outer layers use BER indefinite lengths (the signature length is only known at the end);
 * every signed structure inside (signed attributes, PuenteMessage) is DER.
 */
public final class EnvelopeSealer {
    /** Extra bytes an envelope needs beyond its payload, for pre-sizing buffers (certificates, headers). */
    static final int OVERHEAD_ESTIMATE = 16 * 1024;
    private static final int MAX_CHUNK = 32 * 1024;
    private static final int CIPHER_BUFFER = 8 * 1024;

    private final SigningKeys keys;
    private final AlgorithmProfile profile;
    private final CryptoProviders providers;
    private final Clock clock;

    public EnvelopeSealer(KeyMaterial keys, AlgorithmProfile profile) {
        this(keys, profile, CryptoProviders.RECOMMENDED, Clock.systemUTC());
    }

    /** @param clock gives the signing time */
    public EnvelopeSealer(KeyMaterial keys, AlgorithmProfile profile, CryptoProviders providers, Clock clock) {
        this(SigningKeys.of(keys, profile), providers, clock);
    }

    /** Signs with whatever signing key {@code keys} has in force at each seal (key rotation). */
    public EnvelopeSealer(SigningKeys keys, CryptoProviders providers, Clock clock) {
        this.keys = Objects.requireNonNull(keys);
        this.profile = keys.profile();
        this.providers = Objects.requireNonNull(providers);
        this.clock = Objects.requireNonNull(clock);
    }

    public AlgorithmProfile profile() {
        return profile;
    }

    /** Seals a payload held in memory; the result is about payload size plus a few kilobytes. */
    public SealedEnvelope seal(EnvelopeHeader header, byte[] payload, X509Certificate recipient) {
        ExactBuffer out = new ExactBuffer(payload.length + OVERHEAD_ESTIMATE + payload.length / 256);
        SealSummary summary = seal(header, new ByteArrayInputStream(payload), payload.length, recipient, out);
        return new SealedEnvelope(out.toByteArray(), summary.sha256());
    }

    /**
     * Seals a payload read from a stream of known length into {@code out} (which is not closed).
     *
     * @throws UncheckedIOException if reading the payload or writing the envelope fails, or the
     *                              stream holds fewer bytes than {@code payloadLength}
     */
    public SealSummary seal(EnvelopeHeader header, InputStream payload, long payloadLength, X509Certificate recipient,
                            OutputStream out) {
        byte[] headerJson = CanonicalJson.bytes(header);
        byte[] prefix = PuenteMessageFormat.prefix(headerJson, payloadLength);
        // One BER chunk for small messages (their certificates included), 32 KiB chunks for large ones.
        int chunk = (int) Math.min(MAX_CHUNK, prefix.length + payloadLength + OVERHEAD_ESTIMATE);
        MessageDigest sha256 = Fingerprints.sha256();
        CountingStream counted = new CountingStream(new DigestOutputStream(out, sha256));
        try {
            CMSAuthEnvelopedDataStreamGenerator enveloper = new CMSAuthEnvelopedDataStreamGenerator();
            enveloper.addRecipientInfoGenerator(RecipientInfoFactory.forRecipient(recipient, profile, providers));
            enveloper.setBufferSize(chunk);
            OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(
                    AlgorithmProfile.CONTENT_CIPHER).setProvider(providers.contentCipher()).build();
            // buffered: the signed layer writes its ASN.1 in many small pieces, and every write to
            // the cipher stream is a Cipher.update (JDK GCM copies its unprocessed tail each time)
            try (OutputStream encrypted = new BufferedOutputStream(enveloper.open(counted, encryptor), CIPHER_BUFFER)) {
                CMSSignedDataStreamGenerator signer = new CMSSignedDataStreamGenerator();
                keys.addTo(signer, providers, clock.instant());
                signer.setBufferSize(chunk);
                try (OutputStream signed = signer.open(PuenteOids.MESSAGE, encrypted, true)) {
                    signed.write(prefix);
                    copy(payload, signed, payloadLength, chunk);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CMSException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "sealing failed: " + e.getMessage());
        }
        return new SealSummary(counted.count, sha256.digest());
    }

    private static void copy(InputStream in, OutputStream out, long length, int chunk) throws IOException {
        byte[] buf = new byte[(int) Math.min(chunk, Math.max(1, length))];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("the payload stream ended " + left + " bytes before its declared length");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    /** Counts bytes on their way to the real output; never closes it (the caller owns it). */
    private static final class CountingStream extends FilterOutputStream {
        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** A byte buffer pre-sized to the expected envelope size, so sealing does not regrow and copy it. */
    private static final class ExactBuffer extends ByteArrayOutputStream {
        ExactBuffer(int capacity) {
            super(capacity);
        }

        @Override
        public synchronized byte[] toByteArray() {
            return count == buf.length ? buf : super.toByteArray();
        }
    }
}
