package org.puente.envelope;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.KEMRecipientInformation;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.envelope.crypto.AlgorithmProfile;

/** Checks of content types and algorithms against the profile, before any expensive work. */
final class ContentTypes {
    private ContentTypes() {
    }

    /** The contentType of a ContentInfo, read without parsing its content. */
    static ASN1ObjectIdentifier contentType(InputStream in) {
        try {
            Object first = new ASN1StreamParser(in).readObject();
            if (!(first instanceof ASN1SequenceParser seq)) {
                throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "not a CMS ContentInfo");
            }
            return new ContentInfoParser(seq).getContentType();
        } catch (IOException | RuntimeException e) {
            if (e instanceof PuenteException pe) {
                throw pe;
            }
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "not a CMS ContentInfo");
        }
    }

    /** The outer layer must be AuthEnvelopedData; other CMS types are named as unsupported. */
    static void requireOuter(byte[] envelope) {
        ASN1ObjectIdentifier type = contentType(new ByteArrayInputStream(envelope));
        if (CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
            return;
        }
        if (CMSObjectIdentifiers.envelopedData.equals(type)) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM,
                    "EnvelopedData (encryption without authentication; AuthEnvelopedData is required)");
        }
        if (CMSObjectIdentifiers.signedData.equals(type)) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM,
                    "unencrypted SignedData (AuthEnvelopedData is required)");
        }
        throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "content type " + type + " is not AuthEnvelopedData");
    }

    /** AES-256-GCM with a 12-byte nonce and a 16-byte tag, nothing else. */
    static void requireContentCipher(AlgorithmIdentifier alg) {
        if (alg == null || !AlgorithmProfile.CONTENT_CIPHER.equals(alg.getAlgorithm())) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM,
                    "content cipher " + AlgorithmProfile.describe(alg));
        }
        try {
            GCMParameters p = GCMParameters.getInstance(alg.getParameters());
            if (p.getNonce().length != AlgorithmProfile.GCM_NONCE_BYTES || p.getIcvLen() != AlgorithmProfile.GCM_TAG_BYTES) {
                throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM, "AES-GCM with a "
                        + p.getNonce().length + "-byte nonce and a " + p.getIcvLen() + "-byte tag");
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "AES-GCM parameters cannot be read");
        }
    }

    /** The recipient info addressed to us must use the profile's key agreement or key transport. */
    static void requireKeyEncryption(RecipientInformation info, AlgorithmProfile profile) {
        AlgorithmIdentifier alg = info.getKeyEncryptionAlgorithm();
        if (profile.isPostQuantum()) {
            // the KDF and wrap inside the KEMRecipientInfo are checked by the recipient before decapsulation
            if (!(info instanceof KEMRecipientInformation) || !profile.kem().equals(alg.getAlgorithm())) {
                throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM,
                        "key encryption " + AlgorithmProfile.describe(alg));
            }
            return;
        }
        if (profile.isEllipticCurve()) {
            if (!(info instanceof KeyAgreeRecipientInformation) || !profile.keyAgreement().equals(alg.getAlgorithm())) {
                throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM,
                        "key encryption " + AlgorithmProfile.describe(alg));
            }
            AlgorithmIdentifier wrap;
            try {
                wrap = AlgorithmIdentifier.getInstance(alg.getParameters());
            } catch (IllegalArgumentException e) {
                wrap = null;
            }
            if (wrap == null || !AlgorithmProfile.KEY_WRAP.equals(wrap.getAlgorithm())) {
                throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM, "key wrap " + AlgorithmProfile.describe(wrap));
            }
            return;
        }
        if (!(info instanceof KeyTransRecipientInformation) || !AlgorithmProfile.isRsaOaepSha256(alg)) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM, "key transport " + AlgorithmProfile.describe(alg));
        }
    }
}
