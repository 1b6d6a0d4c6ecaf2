package org.puente.envelope.crypto;

import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Algorithm identifiers built and compared field by field: the RSA profile's parameterised ones
 * (RSASSA-PSS and RSA-OAEP, RFC 4055), where a parameter the profile does not name is a different
 * algorithm, and the absent-or-NULL rule of the rest.
 */
final class IdentifierRules {
    static final int PSS_SALT_BYTES = 32;

    private IdentifierRules() {
    }

    static RSASSAPSSparams pss() {
        AlgorithmIdentifier hash = sha256();
        return new RSASSAPSSparams(hash, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, hash),
                new ASN1Integer(PSS_SALT_BYTES), new ASN1Integer(1));
    }

    static AlgorithmParameterSpec pssSpec() {
        return new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSS_SALT_BYTES, 1);
    }

    static AlgorithmIdentifier oaep() {
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP,
                new RSAESOAEPparams(sha256(), new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha256()),
                        RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));
    }

    /** RSASSA-PSS with SHA-256, MGF1-SHA-256, a 32-byte salt and trailer field 1, nothing else. */
    static boolean isPss(AlgorithmIdentifier id) {
        try {
            RSASSAPSSparams p = RSASSAPSSparams.getInstance(id.getParameters());
            RSASSAPSSparams want = pss();
            return sameHash(p.getHashAlgorithm(), want.getHashAlgorithm())
                    && p.getMaskGenAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.id_mgf1)
                    && sameHash(AlgorithmIdentifier.getInstance(p.getMaskGenAlgorithm().getParameters()),
                            want.getHashAlgorithm())
                    && p.getSaltLength().intValueExact() == PSS_SALT_BYTES
                    && p.getTrailerField().intValueExact() == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** RSA-OAEP with SHA-256 and MGF1-SHA-256 and the empty label, nothing else. */
    static boolean isOaepSha256(AlgorithmIdentifier id) {
        if (id == null || !PKCSObjectIdentifiers.id_RSAES_OAEP.equals(id.getAlgorithm())) {
            return false;
        }
        try {
            RSAESOAEPparams p = RSAESOAEPparams.getInstance(id.getParameters());
            return sameHash(p.getHashAlgorithm(), sha256())
                    && p.getMaskGenAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.id_mgf1)
                    && sameHash(AlgorithmIdentifier.getInstance(p.getMaskGenAlgorithm().getParameters()), sha256())
                    && p.getPSourceAlgorithm().equals(RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static boolean absentOrNull(ASN1Encodable params) {
        return params == null || DERNull.INSTANCE.equals(params);
    }

    private static boolean sameHash(AlgorithmIdentifier a, AlgorithmIdentifier b) {
        return a != null && b != null && a.getAlgorithm().equals(b.getAlgorithm())
                && absentOrNull(a.getParameters()) && absentOrNull(b.getParameters());
    }

    private static AlgorithmIdentifier sha256() {
        return new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
    }
}
