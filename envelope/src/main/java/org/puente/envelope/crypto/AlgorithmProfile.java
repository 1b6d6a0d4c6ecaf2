package org.puente.envelope.crypto;

import java.security.PublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.iana.IANAObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The named algorithm profiles both gateways agree on: every algorithm identifier the envelope,
 * receipts and statements use lives here and nowhere else.
 *
 * <p>Implementation note: P-256 is the default because it is FIPS-approved, gives 128-bit security
 * and costs about a third of P-384 on the gateways' hardware (STACK.md). The P-384 profile uses
 * SHA-384 throughout so that no part is weaker than the curve. The RSA profile uses the modern
 * paddings only: RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt) and RSA-OAEP (SHA-256,
 * MGF1-SHA-256), never PKCS#1 v1.5. AES-256-GCM with a 12-byte nonce and a 16-byte tag is the only
 * content cipher: the opener refuses unauthenticated EnvelopedData.
 */
public enum AlgorithmProfile {
    /** ECDSA P-256/SHA-256, ECDH P-256 (X9.63 KDF SHA-256, AES-256 key wrap), AES-256-GCM. Default. */
    EC_P256_AES256GCM("ec-p256-aes256gcm", SECObjectIdentifiers.secp256r1, 256,
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256), "SHA256withECDSA",
            SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme),
    /** ECDSA P-384/SHA-384, ECDH P-384 (X9.63 KDF SHA-384, AES-256 key wrap), AES-256-GCM. */
    EC_P384_AES256GCM("ec-p384-aes256gcm", SECObjectIdentifiers.secp384r1, 384,
            NISTObjectIdentifiers.id_sha384, "SHA-384",
            new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384), "SHA384withECDSA",
            SECObjectIdentifiers.dhSinglePass_stdDH_sha384kdf_scheme),
    /** RSASSA-PSS SHA-256 (RSA 3072+), RSA-OAEP SHA-256 key transport, AES-256-GCM. */
    RSA3072_AES256GCM("rsa3072-aes256gcm", null, 3072,
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, IdentifierRules.pss()), "RSASSA-PSS",
            null),
    /**
     * ML-DSA-65 signatures (RFC 9882: pure mode, SHA-512 digest of the signed attributes), the content
     * key encapsulated to an ML-KEM-768 key (KEMRecipientInfo, RFC 9629/9936: HKDF-SHA256, AES-256
     * key wrap), AES-256-GCM. The certificates carrying these keys are still issued by P-256 CAs.
     */
    ML_KEM_768_ML_DSA_65("ml-kem-768-ml-dsa-65", null, 768,
            NISTObjectIdentifiers.id_sha512, "SHA-512",
            new AlgorithmIdentifier(NISTObjectIdentifiers.id_ml_dsa_65), "ML-DSA-65",
            null),
    /**
     * Hybrid: breaking either the classical or the post-quantum algorithm is not enough. Signatures
     * are composite ML-DSA-65 + ECDSA P-256 (id-MLDSA65-ECDSA-P256-SHA512, one SignerInfo whose
     * signature holds both and verifies only if both do); the content key is encapsulated to a
     * composite ML-KEM-768 + ECDH P-256 key (id-MLKEM768-ECDH-P256-SHA3-256: the two shared secrets
     * are combined with SHA3-256, so both are needed) in a KEMRecipientInfo with HKDF-SHA256 and
     * AES-256 wrap; AES-256-GCM. docs/security.md says why composite and not two SignerInfos.
     */
    HYBRID_P256_ML_KEM_768_ML_DSA_65("hybrid-p256-ml-kem-768-ml-dsa-65", null, 768,
            NISTObjectIdentifiers.id_sha512, "SHA-512",
            new AlgorithmIdentifier(IANAObjectIdentifiers.id_MLDSA65_ECDSA_P256_SHA512), "MLDSA65-ECDSA-P256-SHA512",
            null);

    /** The profile used when the configuration names none. */
    public static final AlgorithmProfile DEFAULT = EC_P256_AES256GCM;

    /** AES-256 in GCM mode (RFC 5084) for the content of AuthEnvelopedData. */
    public static final ASN1ObjectIdentifier CONTENT_CIPHER = NISTObjectIdentifiers.id_aes256_GCM;
    public static final String CONTENT_CIPHER_NAME = "AES-256-GCM";
    public static final int GCM_NONCE_BYTES = 12;
    public static final int GCM_TAG_BYTES = 16;
    /** AES-256 key wrap (RFC 3394) of the content key under the ECDH-derived key. */
    public static final ASN1ObjectIdentifier KEY_WRAP = NISTObjectIdentifiers.id_aes256_wrap;
    /** RSA-OAEP with SHA-256 and MGF1-SHA-256, empty label (RFC 4055). */
    public static final AlgorithmIdentifier RSA_OAEP = IdentifierRules.oaep();
    /** The SHA-256 used for envelope and payload fingerprints (independent of the profile). */
    public static final String FINGERPRINT_DIGEST = "SHA-256";
    /** The KEM of the post-quantum profile's KEMRecipientInfo (RFC 9936). */
    public static final ASN1ObjectIdentifier ML_KEM_768 = NISTObjectIdentifiers.id_alg_ml_kem_768;
    /** The composite KEM of the hybrid profile (ML-KEM-768 and ECDH P-256, SHA3-256 combiner). */
    public static final ASN1ObjectIdentifier COMPOSITE_KEM = IANAObjectIdentifiers.id_MLKEM768_ECDH_P256_SHA3_256;
    /** HKDF with SHA-256 (RFC 8619), the KDF RFC 9936 requires with every ML-KEM parameter set. */
    public static final AlgorithmIdentifier KEM_KDF = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_alg_hkdf_with_sha256);
    /** JCA names of the key families, for key factories and generators. */
    public static final String EC = "EC";
    public static final String RSA = "RSA";

    private final String cliName;
    private final ASN1ObjectIdentifier curve;
    private final int keyBits;
    private final ASN1ObjectIdentifier digest;
    private final String digestName;
    private final AlgorithmIdentifier signature;
    private final String signatureName;
    private final ASN1ObjectIdentifier keyAgreement;

    AlgorithmProfile(String cliName, ASN1ObjectIdentifier curve, int keyBits, ASN1ObjectIdentifier digest,
                     String digestName, AlgorithmIdentifier signature, String signatureName,
                     ASN1ObjectIdentifier keyAgreement) {
        this.cliName = cliName;
        this.curve = curve;
        this.keyBits = keyBits;
        this.digest = digest;
        this.digestName = digestName;
        this.signature = signature;
        this.signatureName = signatureName;
        this.keyAgreement = keyAgreement;
    }

    /** Accepts the enum name ({@code EC_P256_AES256GCM}) or the configuration form ({@code ec-p256-aes256gcm}). */
    public static AlgorithmProfile fromName(String name) {
        if (name == null || name.isBlank()) {
            return DEFAULT;
        }
        String wanted = name.trim();
        return Arrays.stream(values())
                .filter(p -> p.name().equalsIgnoreCase(wanted) || p.cliName.equalsIgnoreCase(wanted))
                .findFirst()
                .orElseThrow(() -> new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                        "unknown envelope profile \"" + wanted + "\"; known: " + Arrays.toString(cliNames())));
    }

    private static String[] cliNames() {
        return Arrays.stream(values()).map(AlgorithmProfile::cliName).toArray(String[]::new);
    }

    /** The lower-case name used in configuration files and on the command line. */
    public String cliName() {
        return cliName;
    }

    public boolean isEllipticCurve() {
        return curve != null;
    }

    /**
     * Whether signatures are ML-DSA (alone or composite with ECDSA) and the content key is
     * encapsulated with ML-KEM (alone or composite with ECDH) in a KEMRecipientInfo.
     */
    public boolean isPostQuantum() {
        return this == ML_KEM_768_ML_DSA_65 || this == HYBRID_P256_ML_KEM_768_ML_DSA_65;
    }

    /** Whether every key is a composite of a classical and a post-quantum key, both required. */
    public boolean isHybrid() {
        return this == HYBRID_P256_ML_KEM_768_ML_DSA_65;
    }

    /** The KEM a KEMRecipientInfo of this profile names, or {@code null} for the classical profiles. */
    public ASN1ObjectIdentifier kem() {
        return isHybrid() ? COMPOSITE_KEM : isPostQuantum() ? ML_KEM_768 : null;
    }

    /** The JCA (Bouncy Castle) name of the recipient key's family, for key factories; {@code null} if classical. */
    public String kemKeyAlgorithm() {
        return isHybrid() ? "MLKEM768-ECDH-P256-SHA3-256" : isPostQuantum() ? "ML-KEM" : null;
    }

    /** Whether an OID names the KEM of one of the agreed profiles. */
    public static boolean isAgreedKem(ASN1ObjectIdentifier oid) {
        return ML_KEM_768.equals(oid) || COMPOSITE_KEM.equals(oid);
    }

    /** The named curve of every EC key in this profile, or {@code null} for RSA and ML-DSA/ML-KEM. */
    public ASN1ObjectIdentifier curve() {
        return curve;
    }

    /** JCA name of the curve (for key generation), or {@code null} for RSA. */
    public String curveName() {
        return curve == null ? null : (curve.equals(SECObjectIdentifiers.secp256r1) ? "secp256r1" : "secp384r1");
    }

    /** Curve size, the minimum RSA modulus size, or the ML-KEM parameter set. */
    public int keyBits() {
        return keyBits;
    }

    /** Digest of the signed content and the signed attributes. */
    public ASN1ObjectIdentifier digest() {
        return digest;
    }

    public String digestName() {
        return digestName;
    }

    /** The signatureAlgorithm a SignerInfo must carry, parameters included. */
    public AlgorithmIdentifier signatureAlgorithm() {
        return signature;
    }

    /** JCA signature name, used with {@link #signatureParameters()}. */
    public String signatureName() {
        return signatureName;
    }

    /** PSS parameters for the RSA profile; {@code null} for ECDSA and ML-DSA. */
    public AlgorithmParameterSpec signatureParameters() {
        return this == RSA3072_AES256GCM ? IdentifierRules.pssSpec() : null;
    }

    /** The ECDH key-agreement scheme (ephemeral-static, X9.63 KDF), or {@code null} for RSA and ML-KEM. */
    public ASN1ObjectIdentifier keyAgreement() {
        return keyAgreement;
    }

    /** Human-readable name of the key-encryption scheme, for messages and {@code inspect}. */
    public String keyEncryptionName() {
        if (isHybrid()) {
            return "ML-KEM-768 + ECDH P-256 composite (KEMRecipientInfo) HKDF-SHA256 + AES-256 key wrap";
        }
        if (isPostQuantum()) {
            return "ML-KEM-768 (KEMRecipientInfo) HKDF-SHA256 + AES-256 key wrap";
        }
        return isEllipticCurve() ? "ECDH " + curveName() + " X9.63-KDF " + digestName + " + AES-256 key wrap"
                : "RSA-OAEP SHA-256 MGF1-SHA-256";
    }

    /** Whether a signer's public key has the family and size this profile requires. */
    public boolean fitsSigner(PublicKey key) {
        return isPostQuantum() ? KeyFamilies.named(key, signature.getAlgorithm()) : fitsClassical(key);
    }

    /** Whether a recipient's (encryption) public key has the family and size this profile requires. */
    public boolean fitsRecipient(PublicKey key) {
        return isPostQuantum() ? KeyFamilies.named(key, kem()) : fitsClassical(key);
    }

    private boolean fitsClassical(PublicKey key) {
        return isEllipticCurve() ? KeyFamilies.onCurve(key, curve) : KeyFamilies.rsaOfAtLeast(key, keyBits);
    }

    /** Whether a digest AlgorithmIdentifier is this profile's digest (absent or NULL parameters both allowed). */
    public boolean isDigest(AlgorithmIdentifier id) {
        return id != null && digest.equals(id.getAlgorithm()) && IdentifierRules.absentOrNull(id.getParameters());
    }

    /** Whether a SignerInfo signatureAlgorithm is this profile's signature, parameters compared exactly. */
    public boolean isSignature(AlgorithmIdentifier id) {
        if (id == null || !signature.getAlgorithm().equals(id.getAlgorithm())) {
            return false;
        }
        if (isPostQuantum()) {
            return id.getParameters() == null;
        }
        if (isEllipticCurve()) {
            return IdentifierRules.absentOrNull(id.getParameters());
        }
        return IdentifierRules.isPss(id);
    }

    /** Whether a KeyTransRecipientInfo keyEncryptionAlgorithm is RSA-OAEP with SHA-256 everywhere. */
    public static boolean isRsaOaepSha256(AlgorithmIdentifier id) {
        return IdentifierRules.isOaepSha256(id);
    }

    /**
     * The profile whose SignerInfo signatureAlgorithm this is (parameters compared exactly), for
     * verifiers that accept any agreed profile and take it from the signature: each profile has its
     * own signature algorithm, so the answer is unique. The digest and the signer's key are then
     * checked against that profile as usual.
     */
    public static java.util.Optional<AlgorithmProfile> ofSignature(AlgorithmIdentifier id) {
        return Arrays.stream(values()).filter(p -> p.isSignature(id)).findFirst();
    }

    /** A readable name for an algorithm identifier, for error sentences (never key material). */
    public static String describe(AlgorithmIdentifier id) {
        return id == null ? "(none)" : id.getAlgorithm().getId();
    }

    @Override
    public String toString() {
        return cliName;
    }

    /** Lower-case form for log lines. */
    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
