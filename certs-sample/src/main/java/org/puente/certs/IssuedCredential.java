package org.puente.certs;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate, its private key and its chain up to the root, as issued by {@link CertificateIssuer}.
 *
 * @param certificate the certificate itself
 * @param key         its private key (SAMPLE material: tests and the sample set only)
 * @param chain       the certificate first, then each issuer, the self-signed root last
 *                    (leaf, issuing CA, root for a sample leaf; just the root for a root)
 */
public record IssuedCredential(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {

    public IssuedCredential {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty() || !chain.get(0).equals(certificate)) {
            throw new IllegalArgumentException("the chain must start with the certificate itself");
        }
    }

    /** The certificate's key pair, e.g. to issue a second certificate for the same key. */
    public KeyPair keyPair() {
        return new KeyPair(certificate.getPublicKey(), key);
    }

    /** The last certificate of the chain: the self-signed root this credential chains to. */
    public X509Certificate root() {
        return chain.get(chain.size() - 1);
    }

    /** The chain as an array, the form {@code KeyStore.setKeyEntry} and TLS key managers take. */
    public X509Certificate[] chainArray() {
        return chain.toArray(new X509Certificate[0]);
    }
}
