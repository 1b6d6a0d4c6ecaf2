package org.puente.envelope.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.x509.TBSCertificate;

/** A certificate's public key as a provider's key object, read from what the issuer signed. */
public final class CertificateKeys {
    private CertificateKeys() {
    }

    /**
     * The certificate's key as {@code provider} builds it from the SubjectPublicKeyInfo inside the
     * certificate. A JDK that parsed the certificate without a provider knowing the key (ML-DSA,
     * the hybrid profile's composite keys) hands out a generic key re-encoded with NULL
     * parameters, which Bouncy Castle cannot read as a composite key. Falls back to the JDK's key
     * when the provider does not know the algorithm.
     */
    public static PublicKey of(X509Certificate certificate, Provider provider) {
        PublicKey key = certificate.getPublicKey();
        try {
            byte[] spki = TBSCertificate.getInstance(certificate.getTBSCertificate()).getSubjectPublicKeyInfo().getEncoded();
            return KeyFactory.getInstance(key.getAlgorithm(), provider).generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return key;
        }
    }
}
