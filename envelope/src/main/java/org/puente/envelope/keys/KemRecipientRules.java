package org.puente.envelope.keys;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cms.KEMRecipientInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * What a KEMRecipientInfo addressed to us must say (RFC 9936 for ML-KEM-768, the same for the
 * hybrid profile's composite ML-KEM-768 + ECDH P-256): an agreed KEM (the opener pins the
 * profile's), HKDF with SHA-256 as the KDF, a 32-byte key-encryption key and AES-256 key wrap. Anything else is refused
 * with {@code unsupported_algorithm} before the private key is used.
 */
public final class KemRecipientRules {
    private static final int KEK_BYTES = 32;

    private KemRecipientRules() {
    }

    public static void require(KEMRecipientInfo info) {
        // NULL parameters are what Bouncy Castle writes when handed a JDK-parsed certificate: read as absent
        if (!AlgorithmProfile.isAgreedKem(info.getKem().getAlgorithm())
                || !(info.getKem().getParameters() == null || DERNull.INSTANCE.equals(info.getKem().getParameters()))) {
            throw refused("KEM " + AlgorithmProfile.describe(info.getKem()));
        }
        AlgorithmIdentifier kdf = info.getKdf();
        if (!AlgorithmProfile.KEM_KDF.getAlgorithm().equals(kdf.getAlgorithm()) || kdf.getParameters() != null) {
            throw refused("KDF " + AlgorithmProfile.describe(kdf));
        }
        if (info.getKekLength() != KEK_BYTES) {
            throw refused("a " + info.getKekLength() + "-byte key-encryption key");
        }
        AlgorithmIdentifier wrap = info.getWrap();
        if (!AlgorithmProfile.KEY_WRAP.equals(wrap.getAlgorithm()) || wrap.getParameters() != null) {
            throw refused("key wrap " + AlgorithmProfile.describe(wrap));
        }
    }

    private static PuenteException refused(String what) {
        return new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM, what);
    }
}
