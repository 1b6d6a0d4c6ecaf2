package org.puente.envelope;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.CountryPki;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.PkiProfile;
import org.puente.certs.SamplePki;
import org.puente.certs.SampleNames;
import org.puente.envelope.crypto.AlgorithmProfile;

/**
 * Sample PKIs generated once per test JVM.
 *
 * <p>For the RSA profile only the gateway message certificates (signing and encryption of each
 * country) carry RSA-3072 keys, issued by the EC sample CAs: the envelope only looks at the leaf
 * keys, and generating the twenty RSA keys of a full RSA sample set costs ~25 s on the CI machine.
 * To keep it at two key generations, both countries' signing certificates share one RSA key and
 * both encryption certificates another (test material only; certificates are still distinct).
 */
public final class TestPkis {
    private static SamplePki ecP256;
    private static SamplePki ecP384;
    private static SamplePki rsa;
    private static SamplePki postQuantum;
    private static SamplePki hybrid;

    private TestPkis() {
    }

    public static synchronized SamplePki of(AlgorithmProfile profile) {
        return switch (profile) {
            case EC_P256_AES256GCM -> ecP256 != null ? ecP256
                    : (ecP256 = SamplePki.generate(PkiProfile.EC_P256, Clock.systemUTC()));
            case EC_P384_AES256GCM -> ecP384 != null ? ecP384
                    : (ecP384 = SamplePki.generate(PkiProfile.EC_P384, Clock.systemUTC()));
            case RSA3072_AES256GCM -> rsa != null ? rsa : (rsa = rsaLeaves(of(AlgorithmProfile.EC_P256_AES256GCM)));
            case ML_KEM_768_ML_DSA_65 -> postQuantum != null ? postQuantum
                    : (postQuantum = SamplePki.generate(PkiProfile.ML_KEM_768_ML_DSA_65, Clock.systemUTC()));
            case HYBRID_P256_ML_KEM_768_ML_DSA_65 -> hybrid != null ? hybrid
                    : (hybrid = SamplePki.generate(PkiProfile.HYBRID_P256_ML_KEM_768_ML_DSA_65, Clock.systemUTC()));
        };
    }

    private static SamplePki rsaLeaves(SamplePki ec) {
        KeyPair signingKey = rsaKeyPair();
        KeyPair encryptionKey = rsaKeyPair();
        return new SamplePki(PkiProfile.RSA_3072, ec.generatedAt(), withRsaGatewayKeys(ec.us(), signingKey, encryptionKey),
                withRsaGatewayKeys(ec.mx(), signingKey, encryptionKey));
    }

    private static CountryPki withRsaGatewayKeys(CountryPki c, KeyPair signingKey, KeyPair encryptionKey) {
        CertificateIssuer issuer = new CertificateIssuer();
        IssuedCredential signing = issuer.issue(c.issuingCa(),
                CertificateSpec.builder(SampleNames.gatewaySigning(c.country()), signingKey)
                        .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.NON_REPUDIATION)
                        .extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
        IssuedCredential encryption = issuer.issue(c.issuingCa(),
                CertificateSpec.builder(SampleNames.gatewayEncryption(c.country()), encryptionKey)
                        .keyUsage(KeyUsageBit.KEY_ENCIPHERMENT)
                        .extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
        return new CountryPki(c.country(), c.rootCa(), c.issuingCa(), c.rootCrl(), c.issuingCrl(), signing, encryption,
                c.gatewayTls(), c.gatewayAudit(), c.agencies(), c.operator(), c.auditor(), c.revokedAgency(),
                c.timeStampingAuthority());
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
            kpg.initialize(3072);
            return kpg.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
