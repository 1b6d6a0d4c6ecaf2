package org.puente.envelope;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KEMRecipientInfo;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientIdentifier;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.OtherRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.envelope.crypto.AlgorithmProfile;

/**
 * Describes an envelope without any key: what an engineer needs when the partner says "your
 * envelope fails" (content types, recipients, algorithms, sizes). Only the outer layer is
 * visible; everything signed is inside the encryption.
 */
public final class EnvelopeInspector {
    private static final Map<ASN1ObjectIdentifier, String> NAMES = Map.ofEntries(
            Map.entry(CMSObjectIdentifiers.authEnvelopedData, "id-ct-authEnvelopedData"),
            Map.entry(CMSObjectIdentifiers.envelopedData, "id-envelopedData"),
            Map.entry(CMSObjectIdentifiers.signedData, "id-signedData"),
            Map.entry(CMSObjectIdentifiers.data, "id-data"),
            Map.entry(NISTObjectIdentifiers.id_aes256_GCM, "aes256-GCM"),
            Map.entry(NISTObjectIdentifiers.id_aes128_GCM, "aes128-GCM"),
            Map.entry(NISTObjectIdentifiers.id_aes256_CBC, "aes256-CBC"),
            Map.entry(NISTObjectIdentifiers.id_aes256_wrap, "aes256-wrap"),
            Map.entry(NISTObjectIdentifiers.id_aes128_wrap, "aes128-wrap"),
            Map.entry(SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme, "dhSinglePass-stdDH-sha256kdf-scheme"),
            Map.entry(SECObjectIdentifiers.dhSinglePass_stdDH_sha384kdf_scheme, "dhSinglePass-stdDH-sha384kdf-scheme"),
            Map.entry(X9ObjectIdentifiers.dhSinglePass_stdDH_sha1kdf_scheme, "dhSinglePass-stdDH-sha1kdf-scheme"),
            Map.entry(PKCSObjectIdentifiers.id_RSAES_OAEP, "id-RSAES-OAEP"),
            Map.entry(NISTObjectIdentifiers.id_alg_ml_kem_768, "id-alg-ml-kem-768"),
            Map.entry(AlgorithmProfile.COMPOSITE_KEM, "id-MLKEM768-ECDH-P256-SHA3-256"),
            Map.entry(PKCSObjectIdentifiers.id_alg_hkdf_with_sha256, "id-alg-hkdf-with-sha256"),
            Map.entry(PKCSObjectIdentifiers.rsaEncryption, "rsaEncryption (PKCS#1 v1.5)"),
            Map.entry(X9ObjectIdentifiers.id_ecPublicKey, "id-ecPublicKey"),
            Map.entry(SECObjectIdentifiers.secp256r1, "P-256"),
            Map.entry(SECObjectIdentifiers.secp384r1, "P-384"));

    private EnvelopeInspector() {
    }

    /** One recipient of the envelope. */
    public record Recipient(String kind, String identifier, String keyEncryption, String keyWrap,
                            String originatorKey, int encryptedKeyBytes) {
    }

    /** What can be seen of an envelope without its key. */
    public record Description(long totalBytes, String contentType, int version, List<Recipient> recipients,
                              String encryptedContentType, String contentCipher, int nonceBytes, int tagBytes,
                              long encryptedContentBytes, int macBytes, boolean authenticatedAttributes,
                              boolean acceptableToProfile, String profileVerdict) {

        /** Human-readable lines, for {@code puente envelope inspect}. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add("size: " + totalBytes + " bytes");
            out.add("content type: " + contentType + " (version " + version + ")");
            for (int i = 0; i < recipients.size(); i++) {
                Recipient r = recipients.get(i);
                out.add("recipient " + (i + 1) + ": " + r.kind() + ", " + r.identifier());
                out.add("  key encryption: " + r.keyEncryption() + (r.keyWrap() == null ? "" : ", wrap " + r.keyWrap()));
                if (r.originatorKey() != null) {
                    out.add("  originator (ephemeral) key: " + r.originatorKey());
                }
                out.add("  encrypted key: " + r.encryptedKeyBytes() + " bytes");
            }
            out.add("encrypted content type: " + encryptedContentType);
            out.add("content cipher: " + contentCipher + ", nonce " + nonceBytes + " bytes, tag " + tagBytes + " bytes");
            out.add("encrypted content: " + encryptedContentBytes + " bytes; MAC " + macBytes + " bytes"
                    + (authenticatedAttributes ? "; authenticated attributes present" : ""));
            out.add("profile check: " + profileVerdict);
            return out;
        }
    }

    /** Describes the envelope's outer layer against a profile. */
    public static Description describe(byte[] envelope, AlgorithmProfile profile) {
        ContentInfo info;
        try {
            info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(envelope));
        } catch (IOException | RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "not a CMS ContentInfo");
        }
        if (!CMSObjectIdentifiers.authEnvelopedData.equals(info.getContentType())) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_ALGORITHM, "content type " + name(info.getContentType())
                    + " (AuthEnvelopedData is required)");
        }
        try {
            AuthEnvelopedData aed = AuthEnvelopedData.getInstance(info.getContent());
            List<Recipient> recipients = new ArrayList<>();
            for (ASN1Encodable e : aed.getRecipientInfos()) {
                recipients.addAll(recipients(RecipientInfo.getInstance(e)));
            }
            EncryptedContentInfo eci = aed.getAuthEncryptedContentInfo();
            AlgorithmIdentifier cipher = eci.getContentEncryptionAlgorithm();
            int nonce = -1;
            int tag = -1;
            try {
                GCMParameters p = GCMParameters.getInstance(cipher.getParameters());
                nonce = p.getNonce().length;
                tag = p.getIcvLen();
            } catch (RuntimeException ignored) {
                // not GCM: reported through the cipher name and the verdict
            }
            String verdict = verdict(aed, recipients, cipher, nonce, tag, profile);
            return new Description(envelope.length, name(info.getContentType()), aed.getVersion().intValueExact(),
                    recipients, name(eci.getContentType()), name(cipher.getAlgorithm()), nonce, tag,
                    eci.getEncryptedContent() == null ? 0 : eci.getEncryptedContent().getOctets().length,
                    aed.getMac().getOctets().length, aed.getAuthAttrs() != null, verdict.startsWith("OK"), verdict);
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, e, "AuthEnvelopedData cannot be parsed");
        }
    }

    private static List<Recipient> recipients(RecipientInfo ri) {
        ASN1Encodable info = ri.getInfo();
        if (info instanceof KeyTransRecipientInfo k) {
            return List.of(new Recipient("key transport (ktri)", identifier(k.getRecipientIdentifier().getId()),
                    name(k.getKeyEncryptionAlgorithm().getAlgorithm()), null, null, k.getEncryptedKey().getOctets().length));
        }
        if (info instanceof OtherRecipientInfo ori && CMSObjectIdentifiers.id_ori_kem.equals(ori.getType())) {
            KEMRecipientInfo kem = KEMRecipientInfo.getInstance(ori.getValue());
            return List.of(new Recipient("key encapsulation (ori-kem, " + kem.getKemct().getOctets().length
                    + "-byte KEM ciphertext)", identifier(kem.getRecipientIdentifier().getId()),
                    name(kem.getKem().getAlgorithm()) + ", KDF " + name(kem.getKdf().getAlgorithm()),
                    name(kem.getWrap().getAlgorithm()), null, kem.getEncryptedKey().getOctets().length));
        }
        if (!(info instanceof KeyAgreeRecipientInfo kari)) {
            return List.of(new Recipient("unsupported recipient type " + info.getClass().getSimpleName(), "-", "-",
                    null, null, 0));
        }
        String wrap;
        try {
            wrap = name(AlgorithmIdentifier.getInstance(kari.getKeyEncryptionAlgorithm().getParameters()).getAlgorithm());
        } catch (RuntimeException e) {
            wrap = "(unreadable)";
        }
        String originator = null;
        if (kari.getOriginator().getOriginatorKey() != null) {
            AlgorithmIdentifier alg = kari.getOriginator().getOriginatorKey().getAlgorithm();
            originator = name(alg.getAlgorithm()) + (alg.getParameters() instanceof ASN1ObjectIdentifier curve
                    ? " " + name(curve) : "") + ", " + kari.getOriginator().getOriginatorKey().getPublicKey().getBytes().length
                    + "-byte point";
        }
        List<Recipient> out = new ArrayList<>();
        for (ASN1Encodable e : kari.getRecipientEncryptedKeys()) {
            RecipientEncryptedKey rek = RecipientEncryptedKey.getInstance(e);
            KeyAgreeRecipientIdentifier id = rek.getIdentifier();
            String who = id.getIssuerAndSerialNumber() != null ? identifier(id.getIssuerAndSerialNumber())
                    : "subject key identifier " + HexFormat.of().formatHex(id.getRKeyID().getSubjectKeyIdentifier().getOctets());
            out.add(new Recipient("key agreement (kari)", who, name(kari.getKeyEncryptionAlgorithm().getAlgorithm()),
                    wrap, originator, rek.getEncryptedKey().getOctets().length));
        }
        return out;
    }

    private static String identifier(ASN1Encodable id) {
        if (id instanceof org.bouncycastle.asn1.ASN1OctetString ski) {
            return "subject key identifier " + HexFormat.of().formatHex(ski.getOctets());
        }
        IssuerAndSerialNumber ias = IssuerAndSerialNumber.getInstance(id);
        return "issuer \"" + ias.getName() + "\", serial " + ias.getSerialNumber().getValue().toString(16);
    }

    private static String verdict(AuthEnvelopedData aed, List<Recipient> recipients, AlgorithmIdentifier cipher,
                                  int nonce, int tag, AlgorithmProfile profile) {
        if (!AlgorithmProfile.CONTENT_CIPHER.equals(cipher.getAlgorithm()) || nonce != AlgorithmProfile.GCM_NONCE_BYTES
                || tag != AlgorithmProfile.GCM_TAG_BYTES) {
            return "NOT acceptable to " + profile.cliName() + ": content cipher must be AES-256-GCM, 12-byte nonce, 16-byte tag";
        }
        if (!CMSObjectIdentifiers.data.equals(aed.getAuthEncryptedContentInfo().getContentType())) {
            return "NOT acceptable: the encrypted content type must be id-data (holding a SignedData ContentInfo)";
        }
        String wanted = profile.isPostQuantum()
                ? name(profile.kem()) + ", KDF " + name(AlgorithmProfile.KEM_KDF.getAlgorithm())
                : profile.isEllipticCurve() ? name(profile.keyAgreement()) : name(PKCSObjectIdentifiers.id_RSAES_OAEP);
        boolean wraps = profile.isEllipticCurve() || profile.isPostQuantum();
        boolean any = recipients.stream().anyMatch(r -> r.keyEncryption().equals(wanted)
                && (!wraps || name(AlgorithmProfile.KEY_WRAP).equals(r.keyWrap())));
        return any ? "OK for " + profile.cliName() + " (the signature can only be checked after decryption)"
                : "NOT acceptable to " + profile.cliName() + ": no recipient uses " + wanted;
    }

    private static String name(ASN1ObjectIdentifier oid) {
        String known = NAMES.get(oid);
        return known != null ? known + " (" + oid.getId() + ")" : oid.getId();
    }
}
