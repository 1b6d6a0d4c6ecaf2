package org.puente.envelope.crypto;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** Whether a public key is of a given family and size, read from its SubjectPublicKeyInfo. */
final class KeyFamilies {
    private KeyFamilies() {
    }

    /** An EC key on the named curve. */
    static boolean onCurve(PublicKey key, ASN1ObjectIdentifier curve) {
        AlgorithmIdentifier alg = algorithm(key);
        return alg != null && X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())
                && curve.equals(alg.getParameters());
    }

    /** An RSA key with a modulus of at least {@code bits}. */
    static boolean rsaOfAtLeast(PublicKey key, int bits) {
        return key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= bits;
    }

    /**
     * A key named by its OID alone: ML-DSA, ML-KEM (RFC 9881, 9935) and the composite keys of the
     * hybrid profile carry no parameters. The JDK re-encodes a key it does not know with NULL
     * parameters, so NULL is taken as absent here.
     */
    static boolean named(PublicKey key, ASN1ObjectIdentifier oid) {
        AlgorithmIdentifier alg = algorithm(key);
        return alg != null && oid.equals(alg.getAlgorithm()) && IdentifierRules.absentOrNull(alg.getParameters());
    }

    private static AlgorithmIdentifier algorithm(PublicKey key) {
        if (key == null) {
            return null;
        }
        try {
            return SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
