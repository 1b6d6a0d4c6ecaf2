package org.puente.envelope.signature;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;

/**
 * Verifies a SignerInfo's signature over its signed attributes with one {@link Signature} of the
 * profile's algorithm.
 *
 * <p>Implementation note: Bouncy Castle's {@code JcaContentVerifierProviderBuilder} hands CMS a
 * "raw" verifier for ECDSA that, after the real verification, also runs a second verification on
 * a second {@code Signature} object (in a {@code finally}, to release PKCS#11 sessions; see its
 * {@code RawSigVerifier}). That doubled the most expensive step of {@code open} and of receipt
 * verification. This provider does the one verification CMS needs and nothing else; the profile
 * has already checked that the SignerInfo names its algorithm.
 */
final class SingleVerifierProvider implements ContentVerifierProvider {
    private final PublicKey key;
    private final AlgorithmProfile profile;
    private final CryptoProviders providers;

    SingleVerifierProvider(PublicKey key, AlgorithmProfile profile, CryptoProviders providers) {
        this.key = key;
        this.profile = profile;
        this.providers = providers;
    }

    @Override
    public boolean hasAssociatedCertificate() {
        return false;
    }

    @Override
    public X509CertificateHolder getAssociatedCertificate() {
        return null;
    }

    @Override
    public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
        try {
            Signature signature = Signature.getInstance(profile.signatureName(), providers.asymmetric());
            if (profile.signatureParameters() != null) {
                signature.setParameter(profile.signatureParameters());
            }
            signature.initVerify(key);
            return new Verifier(algorithm, signature);
        } catch (GeneralSecurityException e) {
            throw new OperatorCreationException("cannot verify " + profile.signatureName() + ": " + e.getMessage(), e);
        }
    }

    private record Verifier(AlgorithmIdentifier algorithm, Signature signature) implements ContentVerifier {
        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    try {
                        signature.update(b, off, len);
                    } catch (SignatureException e) {
                        throw new RuntimeOperatorException("signature update failed: " + e.getMessage(), e);
                    }
                }
            };
        }

        @Override
        public boolean verify(byte[] expected) {
            try {
                return signature.verify(expected);
            } catch (SignatureException e) {
                // a malformed signature value (bad DER): not a valid signature
                return false;
            }
        }
    }
}
