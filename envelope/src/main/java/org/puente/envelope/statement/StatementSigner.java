package org.puente.envelope.statement;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.SigningKeys;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Signs statements (receipts, delivery notices, pings, audit checkpoints, reconciliation reports)
 * and detached signatures over files, with the gateway's signing key. Thread-safe.
 *
 * <p>Implementation note: a statement is a plain CMS SignedData with the content encapsulated and
 * the signer's chain included (without the root, which the checker brings), so anyone holding the
 * signer's root can check it with {@code openssl cms -verify}, years later, without Puente.
 */
public final class StatementSigner {
    private final SigningKeys keys;
    private final CryptoProviders providers;
    private final Clock clock;

    public StatementSigner(KeyMaterial keys, AlgorithmProfile profile) {
        this(SigningKeys.of(keys, profile), CryptoProviders.RECOMMENDED, Clock.systemUTC());
    }

    public StatementSigner(KeyMaterial keys, AlgorithmProfile profile, CryptoProviders providers, Clock clock) {
        this(SigningKeys.of(keys, profile), providers, clock);
    }

    /** Signs with whatever signing key {@code keys} has in force at each signature (key rotation). */
    public StatementSigner(SigningKeys keys, CryptoProviders providers, Clock clock) {
        this.keys = Objects.requireNonNull(keys);
        this.providers = Objects.requireNonNull(providers);
        this.clock = Objects.requireNonNull(clock);
    }

    /** DER CMS SignedData with the content encapsulated under the type's eContentType. */
    public byte[] sign(StatementType type, byte[] canonicalJsonContent) {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            keys.addTo(gen, providers, clock.instant());
            return gen.generate(new CMSProcessableByteArray(type.contentType(), canonicalJsonContent), true)
                    .toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (CMSException | IOException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "signing a statement failed");
        }
    }

    /** A detached CMS SignedData (no content inside) over everything {@code data} yields, e.g. an audit export file. */
    public byte[] signDetached(InputStream data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            CMSSignedDataStreamGenerator gen = new CMSSignedDataStreamGenerator();
            keys.addTo(gen, providers, clock.instant());
            try (OutputStream sink = gen.open(out, false)) {
                data.transferTo(sink);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CMSException e) {
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, e, "signing a file failed");
        }
        return out.toByteArray();
    }
}
