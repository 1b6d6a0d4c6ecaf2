package org.puente.envelope.trust;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** The key-usage rules for a message signer's certificate and for a recipient's encryption certificate. */
final class KeyUsageRules {
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_AGREEMENT = 4;

    private KeyUsageRules() {
    }

    /**
     * Requires keyUsage with digitalSignature and an extendedKeyUsage containing the purpose.
     *
     * <p>Implementation note: both extensions must be present. A gateway's TLS, encryption and
     * agency certificates chain to the same roots; the usages are what keep them from signing
     * envelopes (RFC 5280 would allow a certificate without the extensions for any purpose).
     */
    static void requireSigningUsage(X509Certificate cert, KeyPurposeId purpose) {
        boolean[] ku = cert.getKeyUsage();
        if (ku == null || ku.length <= DIGITAL_SIGNATURE || !ku[DIGITAL_SIGNATURE]) {
            throw new PuenteException(ErrorCode.WRONG_KEY_USAGE, CertificateNames.display(cert),
                    "key usage digitalSignature is required to sign messages");
        }
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            eku = null;
        }
        if (eku == null || !eku.contains(purpose.getId())) {
            throw new PuenteException(ErrorCode.WRONG_KEY_USAGE, CertificateNames.display(cert),
                    "extended key usage " + purpose.getId() + (KeyPurposeId.id_kp_emailProtection.equals(purpose)
                            ? " (emailProtection) is required to sign messages" : " is required of this signer"));
        }
    }

    /**
     * Requires the key usage a recipient certificate needs to receive envelopes: keyAgreement for
     * an EC key (ECDH), keyEncipherment for an RSA key (key transport) and for an ML-KEM key
     * (RFC 9935: the only usage an ML-KEM certificate may carry); and, when the certificate
     * restricts its purposes, emailProtection (CMS) among them.
     *
     * <p>Implementation note: the gateway's TLS and signing certificates chain to the same root as
     * its encryption certificate; the key usage is what stops a misconfigured file from making the
     * gateway encrypt to a key that was never meant to decrypt (and may be held elsewhere).
     */
    static void requireEncryptionUsage(X509Certificate cert) {
        boolean encipherment = "RSA".equalsIgnoreCase(cert.getPublicKey().getAlgorithm()) || isKem(cert);
        int bit = encipherment ? KEY_ENCIPHERMENT : KEY_AGREEMENT;
        boolean[] ku = cert.getKeyUsage();
        if (ku == null || ku.length <= bit || !ku[bit]) {
            throw new PuenteException(ErrorCode.WRONG_KEY_USAGE, CertificateNames.display(cert), "key usage "
                    + (encipherment ? "keyEncipherment" : "keyAgreement") + " is required to receive envelopes");
        }
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new PuenteException(ErrorCode.WRONG_KEY_USAGE, CertificateNames.display(cert),
                    "the extended key usage cannot be read");
        }
        if (eku != null && !eku.contains(KeyPurposeId.id_kp_emailProtection.getId())
                && !eku.contains(KeyPurposeId.anyExtendedKeyUsage.getId())) {
            throw new PuenteException(ErrorCode.WRONG_KEY_USAGE, CertificateNames.display(cert),
                    "extended key usage emailProtection is required to receive envelopes");
        }
    }

    /** ML-KEM and composite KEM keys are named by OID alone; the JDK knows no key class for them, so the SPKI is read. */
    private static boolean isKem(X509Certificate cert) {
        try {
            return AlgorithmProfile.isAgreedKem(
                    SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded()).getAlgorithm().getAlgorithm());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
