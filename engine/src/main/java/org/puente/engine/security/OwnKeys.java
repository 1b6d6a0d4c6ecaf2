package org.puente.engine.security;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.puente.audit.AuditKeys;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The gateway's own keys, checked as a whole, at start-up and again before a reload puts new ones
 * in force: the gateway's name on the signing, TLS and audit certificates, no key of the public
 * SAMPLE PKI unless allowed, every key of the agreed profile, a TLS key, and an audit key that
 * cannot stand in for the message key nor the message key for it.
 *
 * @param all   the keystore's (or token's) keys
 * @param audit the audit key seen as a signer ({@link KeyMaterial#auditSigning()})
 */
public record OwnKeys(KeyMaterial all, KeyMaterial audit) {

    /** @throws PuenteException {@code configuration_invalid} naming the key that fails */
    public static OwnKeys check(KeyMaterial keys, String gatewayName, AlgorithmProfile profile, boolean sample) {
        List<X509Certificate> tlsChain = keys.tlsChain().orElseThrow(() -> new PuenteException(
                ErrorCode.CONFIGURATION_INVALID, "puente.pki.keystore has no 'tls' entry"));
        StartupChecks.refuseSampleKeys(keys, sample);
        StartupChecks.requireName("puente.pki.keystore (alias tls)", tlsChain.get(0), gatewayName);
        // every key, not only those in use now: a key staged for later must fit when its time comes
        for (X509Certificate signing : keys.signingCertificates()) {
            StartupChecks.requireName("puente.pki.keystore (alias signing)", signing, gatewayName);
            requireFit("signing", profile.fitsSigner(signing.getPublicKey()), profile);
        }
        for (X509Certificate encryption : keys.encryptionCertificates()) {
            requireFit("encryption", profile.fitsRecipient(encryption.getPublicKey()), profile);
        }
        KeyMaterial audit = auditKeys(keys, gatewayName);
        requireFit("audit", profile.fitsSigner(audit.signingCertificate().getPublicKey()), profile);
        return new OwnKeys(keys, audit);
    }

    private static void requireFit(String alias, boolean fits, AlgorithmProfile profile) {
        if (!fits) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.keystore (alias " + alias
                    + "): the key does not fit the profile " + profile.cliName() + " (puente.pki.profile)");
        }
    }

    /**
     * The audit key of the keystore, checked: the gateway's name, the audit purpose, and no
     * emailProtection (else it could sign messages the peer accepts); and a message key without
     * the audit purpose (else it could sign checkpoints). One clear line names the key otherwise.
     */
    public static KeyMaterial auditKeys(KeyMaterial keys, String gatewayName) {
        KeyMaterial audit = keys.auditSigning().orElseThrow(() -> new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                "puente.pki.keystore has no \"" + KeyMaterial.AUDIT + "\" key: the audit log's checkpoints and exports are"
                        + " signed with an audit key of their own (docs/audit.md; puente pki generate writes one)"));
        X509Certificate cert = audit.signingCertificate();
        String cn = CertificateNames.commonName(cert);
        if (!gatewayName.equalsIgnoreCase(cn)) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.keystore (alias audit) is a certificate"
                    + " for '" + cn + "', not for '" + gatewayName + "'");
        }
        List<String> auditPurposes = purposes(cert);
        if (!auditPurposes.contains(AuditKeys.PURPOSE.getId())
                || auditPurposes.contains(KeyPurposeId.id_kp_emailProtection.getId())) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.keystore (alias audit) must carry the"
                    + " extended key usage " + AuditKeys.PURPOSE.getId() + " (audit signing) and not emailProtection");
        }
        if (purposes(keys.signingCertificate()).contains(AuditKeys.PURPOSE.getId())) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.keystore (alias signing) carries the"
                    + " audit-signing purpose: the message key must not be able to sign the audit log");
        }
        return audit;
    }

    private static List<String> purposes(X509Certificate cert) {
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            return eku == null ? List.of() : eku;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
