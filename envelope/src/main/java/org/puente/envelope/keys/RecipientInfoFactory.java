package org.puente.envelope.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.cms.RecipientInfoGenerator;
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
        if (!profile.fits(recipient.getPublicKey())) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "the recipient certificate's key does not fit the profile " + profile.cliName());
        }
        try {
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
        } catch (GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "cannot encrypt for the recipient certificate: " + e.getClass().getSimpleName());
        }
    }
}
