package org.puente.envelope.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKEMRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JceAsymmetricKeyWrapper;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Makes the RecipientInfo generator for the peer's encryption certificate. It lives with the keys
 * because ECDH needs a fresh ephemeral private key per envelope (ephemeral-static ECDH, RFC 5753).
 * ML-KEM needs none: each encapsulation is fresh (KEMRecipientInfo, RFC 9629).
 *
 * <p>Implementation note: the ephemeral key is used for one envelope and then dropped; its public
 * half travels as the originator key, so the sender keeps no secret that could decrypt the envelope
 * later (forward secrecy against compromise of the sender's keys).
 */
public final class RecipientInfoFactory {
    private RecipientInfoFactory() {
    }

    public static RecipientInfoGenerator forRecipient(X509Certificate recipient, AlgorithmProfile profile,
                                                      CryptoProviders providers) {
        if (!profile.fitsRecipient(recipient.getPublicKey())) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "the recipient certificate's key does not fit the profile " + profile.cliName());
        }
        try {
            if (profile.isPostQuantum()) {
                return new JceKEMRecipientInfoGenerator(subjectKeyIdentifier(recipient),
                        providerKey(recipient, profile, providers), AlgorithmProfile.KEY_WRAP)
                        .setKDF(AlgorithmProfile.KEM_KDF)
                        .setProvider(providers.asymmetric());
            }
            if (profile.isEllipticCurve()) {
                KeyPairGenerator kpg = KeyPairGenerator.getInstance(AlgorithmProfile.EC, providers.asymmetric());
                kpg.initialize(new ECGenParameterSpec(profile.curveName()));
                KeyPair ephemeral = kpg.generateKeyPair();
                return new JceKeyAgreeRecipientInfoGenerator(profile.keyAgreement(), ephemeral.getPrivate(),
                        ephemeral.getPublic(), AlgorithmProfile.KEY_WRAP)
                        .addRecipient(recipient)
                        .setProvider(providers.staticPeerKeyAgreement(StaticPeerKeyAgreement.provider()))
                        .setKeyWrappingProvider(providers.asymmetric());
            }
            return new JceKeyTransRecipientInfoGenerator(recipient,
                    new JceAsymmetricKeyWrapper(AlgorithmProfile.RSA_OAEP, recipient.getPublicKey())
                            .setProvider(providers.asymmetric()));
        } catch (GeneralSecurityException | IOException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "cannot encrypt for the recipient certificate: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The recipient's ML-KEM key as a Bouncy Castle key. Implementation note: the JDK does not know
     * ML-KEM and re-encodes such a key with NULL parameters, which Bouncy Castle would copy into the
     * KEMRecipientInfo's kem identifier; RFC 9936 requires them absent, as the provider key has them.
     */
    private static PublicKey providerKey(X509Certificate recipient, AlgorithmProfile profile, CryptoProviders providers)
            throws GeneralSecurityException, IOException {
        byte[] spki = TBSCertificate.getInstance(recipient.getTBSCertificate()).getSubjectPublicKeyInfo().getEncoded();
        return KeyFactory.getInstance(profile.kemKeyAlgorithm(), providers.asymmetric()).generatePublic(new X509EncodedKeySpec(spki));
    }

    /** The recipient is named by subject key identifier (the KEM generator's form that takes a provider key). */
    private static byte[] subjectKeyIdentifier(X509Certificate recipient) {
        byte[] extension = recipient.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension == null) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "the recipient's ML-KEM certificate has no subject key identifier");
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
    }
}
