package org.puente.envelope.crypto;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Which JCA provider performs each kind of operation.
 *
 * <p>Implementation note (measured on the gateways' hardware, STACK.md): on Java 17 Bouncy
 * Castle is 5–9× faster than the JDK for elliptic-curve signatures and ECDH, while the JDK's
 * SunJCE/SUN providers are ~45× faster for AES-GCM and SHA-2 thanks to CPU intrinsics. The
 * {@link #RECOMMENDED} split takes the faster one for each; {@link #BOUNCY_CASTLE_ONLY} exists for
 * the benchmark (and for a JDK without SunJCE). Bouncy Castle is used as a provider instance.
 *
 * <p>It is also registered, last: Bouncy Castle's composite keys and signatures (the hybrid
 * profile) look up their ML-DSA, ML-KEM, ECDSA and ECDH halves by the provider name "BC" and fail
 * when no provider has that name. At the lowest priority, every lookup a JDK provider can answer
 * still goes to the JDK (TLS, the JDK's key stores); only algorithms the JDK lacks resolve to it.
 */
public enum CryptoProviders {
    /**
     * Bouncy Castle for signatures, key agreement, key wrap and RSA (sealing's ECDH with the
     * peer's point precomputed); the JDK for AES-GCM and digests.
     */
    RECOMMENDED(false),
    /** Bouncy Castle for everything. */
    BOUNCY_CASTLE_ONLY(true);

    private static final Provider BC = registered();

    private final boolean bcEverywhere;

    CryptoProviders(boolean bcEverywhere) {
        this.bcEverywhere = bcEverywhere;
    }

    /** The registered Bouncy Castle provider, or a new one registered last (see the class note). */
    private static Provider registered() {
        synchronized (Security.class) {
            Provider named = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
            if (named instanceof BouncyCastleProvider) {
                return named;
            }
            Provider bc = new BouncyCastleProvider();
            Security.addProvider(bc);
            return bc;
        }
    }

    /** The shared Bouncy Castle provider instance. */
    public static Provider bouncyCastle() {
        return BC;
    }

    /** Signatures (ECDSA, RSASSA-PSS), ECDH, RSA-OAEP, AES key wrap, certificate parsing. */
    public Provider asymmetric() {
        return BC;
    }

    /**
     * ECDH with the peer gateway's static encryption key when sealing: {@code precomputing}, Bouncy
     * Castle's key agreement with the peer's point precomputed (envelope.keys'
     * {@code StaticPeerKeyAgreement}, passed in by the key-material component so that this package
     * does not depend on it); plain Bouncy Castle in {@link #BOUNCY_CASTLE_ONLY}, which the
     * benchmark uses as the baseline.
     */
    public Provider staticPeerKeyAgreement(Provider precomputing) {
        return bcEverywhere ? BC : precomputing;
    }

    /** The content cipher (AES-256-GCM). */
    public Provider contentCipher() {
        return bcEverywhere ? BC : jdk("SunJCE");
    }

    /** Message digests of the content (the bulk of the hashing). */
    public Provider digest() {
        return bcEverywhere ? BC : jdk("SUN");
    }

    private static Provider jdk(String name) {
        Provider p = Security.getProvider(name);
        return p != null ? p : BC;
    }
}
