package org.puente.envelope.signature;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.ConcurrentHashMap;
import org.puente.envelope.crypto.CertificateKeys;
import org.puente.envelope.crypto.CryptoProviders;

/**
 * Signer public keys as provider key objects, kept per certificate.
 *
 * <p>Implementation note: Bouncy Castle precomputes multiples of an ECDSA public key point and
 * keeps them on the point object. A JDK key converted afresh for every message gets a new point
 * each time and pays that precomputation on every verification (measured: verification inside
 * {@code open} cost several times the bare primitive). Keeping one key object per signer
 * certificate (the peer has one or two) lets every verification reuse it. Bounded: cleared when
 * full, so a flood of distinct certificates cannot grow it.
 */
final class VerificationKeys {
    private static final int MAX = 64;
    private static final ConcurrentHashMap<X509Certificate, PublicKey> KEYS = new ConcurrentHashMap<>();

    private VerificationKeys() {
    }

    static PublicKey of(X509Certificate certificate, CryptoProviders providers) {
        PublicKey cached = KEYS.get(certificate);
        if (cached != null && cached.getClass().getName().startsWith(providerPackage(providers))) {
            return cached;
        }
        PublicKey key = CertificateKeys.of(certificate, providers.asymmetric());
        if (KEYS.size() >= MAX) {
            KEYS.clear();
        }
        KEYS.put(certificate, key);
        return key;
    }

    private static String providerPackage(CryptoProviders providers) {
        return providers.asymmetric() == CryptoProviders.bouncyCastle() ? "org.bouncycastle" : "";
    }
}
