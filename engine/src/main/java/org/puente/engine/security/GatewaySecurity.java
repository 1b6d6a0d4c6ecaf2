package org.puente.engine.security;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.TrustMaterial;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.config.GatewayConfig;

/**
 * Keys and trust of one gateway, loaded and checked at start-up: the keystore (its password from
 * the environment), both countries' roots, the CRLs, and the TLS contexts of the three listeners
 * and of the peer client. A certificate that does not match its configured role stops the gateway.
 */
public final class GatewaySecurity {
    private final KeyMaterial keys;
    private final AlgorithmProfile profile;
    private final List<X509Certificate> ownRoots;
    private final List<X509Certificate> peerRoots;
    private final X509Certificate peerEncryption;
    private final SignerTrust peerTrust;
    private final ReloadableTrustManager ownTls;
    private final ReloadableTrustManager peerTls;
    private final GatewayConfig config;

    public GatewaySecurity(GatewayConfig config) {
        this.config = config;
        GatewayConfig.Pki pki = config.pki();
        this.profile = profile(pki.profile());
        this.keys = KeyMaterial.fromEnvironment(pki.keystore(), pki.passwordEnv());
        requireName("puente.pki.keystore (alias signing)", keys.signingCertificate(), config.gatewayName());
        requireName("puente.pki.keystore (alias tls)", keys.tlsChain()
                .orElseThrow(() -> new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                        "puente.pki.keystore has no 'tls' entry")).get(0), config.gatewayName());
        this.ownRoots = TrustMaterial.certificates(pki.ownRoots(), null);
        this.peerRoots = TrustMaterial.certificates(pki.peerRoots(), null);
        List<X509CRL> crls = TrustMaterial.crls(pki.crls());
        this.peerEncryption = TrustMaterial.certificates(List.of(config.peer().encryptionCertificate()), null).get(0);
        requireName("puente.peer.encryption-certificate", peerEncryption, config.peer().gatewayName());
        this.peerTrust = SignerTrust.builder().roots(peerRoots).crls(crls)
                .expectedSignerName(config.peer().gatewayName()).build();
        this.ownTls = new ReloadableTrustManager(ownRoots, crls);
        this.peerTls = new ReloadableTrustManager(peerRoots, crls);
    }

    private static AlgorithmProfile profile(String name) {
        try {
            return AlgorithmProfile.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.profile must be one of "
                    + java.util.Arrays.toString(AlgorithmProfile.values()) + ", got '" + name + "'");
        }
    }

    private static void requireName(String what, X509Certificate cert, String expected) {
        String cn = CertificateNames.commonName(cert);
        if (!expected.equalsIgnoreCase(cn)) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, what + " is a certificate for '" + cn
                    + "', not for '" + expected + "'");
        }
    }

    public KeyMaterial keys() {
        return keys;
    }

    public AlgorithmProfile profile() {
        return profile;
    }

    public X509Certificate peerEncryptionCertificate() {
        return peerEncryption;
    }

    public SignerTrust peerTrust() {
        return peerTrust;
    }

    /** Agency and operations listeners: clients of this country's CA. */
    public SSLContext ownClientsServerContext() {
        return TlsContexts.create(keys.tlsKeyManagers(), ownTls);
    }

    /** Peer listener: the other country's gateway only. */
    public SSLContext peerServerContext() {
        return TlsContexts.create(keys.tlsKeyManagers(), peerTls);
    }

    /** Calls to the peer gateway: its certificate must chain to the other country's root. */
    public SSLContext peerClientContext() {
        return TlsContexts.create(keys.tlsKeyManagers(), peerTls);
    }

    /** Calls to our agencies' push endpoints: their certificates chain to our root. */
    public SSLContext agencyClientContext() {
        return TlsContexts.create(keys.tlsKeyManagers(), ownTls);
    }

    /** Re-reads the configured CRL files into every trust decision (TLS and envelopes). */
    public int reloadCrls() {
        List<X509CRL> crls = TrustMaterial.crls(config.pki().crls());
        ownTls.reload(crls);
        peerTls.reload(crls);
        peerTrust.reloadCrls(crls);
        return crls.size();
    }

    /** Certificates whose expiry operators watch, by role. */
    public java.util.Map<String, X509Certificate> watchedCertificates() {
        java.util.Map<String, X509Certificate> m = new java.util.LinkedHashMap<>();
        m.put("gateway-signing", keys.signingCertificate());
        m.put("gateway-encryption", keys.encryptionCertificate());
        keys.tlsChain().ifPresent(c -> m.put("gateway-tls", c.get(0)));
        m.put("peer-encryption", peerEncryption);
        for (int i = 0; i < ownRoots.size(); i++) {
            m.put("own-root" + (i == 0 ? "" : "-" + i), ownRoots.get(i));
        }
        for (int i = 0; i < peerRoots.size(); i++) {
            m.put("peer-root" + (i == 0 ? "" : "-" + i), peerRoots.get(i));
        }
        return m;
    }
}
