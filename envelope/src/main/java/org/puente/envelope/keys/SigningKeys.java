package org.puente.envelope.keys;

import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedGenerator;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The signing key of the moment and the chain a signature carries, taken from key material that
 * may be replaced while the gateway runs (a key rotation): each signature asks the source for the
 * key material in force and re-prepares the chain only when that changed. Thread-safe.
 */
public final class SigningKeys {
    private record Prepared(KeyMaterial keys, JcaCertStore chain) {
    }

    private final Supplier<KeyMaterial> source;
    private final AlgorithmProfile profile;
    private volatile Prepared prepared;

    /** @throws PuenteException {@code configuration_invalid} if the signing key does not fit the profile */
    public SigningKeys(Supplier<KeyMaterial> source, AlgorithmProfile profile) {
        this.source = Objects.requireNonNull(source);
        this.profile = Objects.requireNonNull(profile);
        this.prepared = prepare(source.get(), profile);
    }

    /** Fixed key material. */
    public static SigningKeys of(KeyMaterial keys, AlgorithmProfile profile) {
        Objects.requireNonNull(keys);
        return new SigningKeys(() -> keys, profile);
    }

    public AlgorithmProfile profile() {
        return profile;
    }

    /** Adds the signer in force and its chain (without the root) to a CMS generator. */
    public void addTo(CMSSignedGenerator generator, CryptoProviders providers, Instant signingTime) throws CMSException {
        Prepared p = current();
        generator.addSignerInfoGenerator(p.keys().signerInfoGenerator(profile, providers, signingTime));
        generator.addCertificates(p.chain());
    }

    private Prepared current() {
        KeyMaterial keys = source.get();
        Prepared p = prepared;
        if (p.keys() != keys) {
            p = prepare(keys, profile);
            prepared = p;
        }
        return p;
    }

    private static Prepared prepare(KeyMaterial keys, AlgorithmProfile profile) {
        if (!profile.fitsSigner(keys.signingCertificate().getPublicKey())) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "the signing certificate's key does not fit the profile " + profile.cliName());
        }
        try {
            return new Prepared(keys, new JcaCertStore(keys.signingChainToSend()));
        } catch (CertificateEncodingException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "signing chain cannot be encoded");
        }
    }
}
