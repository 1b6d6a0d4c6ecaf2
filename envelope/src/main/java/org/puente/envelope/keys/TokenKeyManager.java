package org.puente.envelope.keys;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one TLS key that lives in a PKCS#11 token. A key manager over the whole token could pick
 * the signing or encryption key for a handshake; this one knows the TLS key and nothing else.
 */
final class TokenKeyManager extends X509ExtendedKeyManager {
    private final String alias;
    private final PrivateKey key;
    private final X509Certificate[] chain;

    TokenKeyManager(KeyMaterial.Entry tls) {
        this.alias = tls.alias();
        this.key = tls.key();
        this.chain = tls.chain().toArray(X509Certificate[]::new);
    }

    private String fitting(String keyType) {
        return keyType != null && keyType.equalsIgnoreCase(key.getAlgorithm()) ? alias : null;
    }

    private String fitting(String[] keyTypes) {
        if (keyTypes != null) {
            for (String type : keyTypes) {
                if (fitting(type) != null) {
                    return alias;
                }
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fitting(keyType) == null ? null : new String[] {alias};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return fitting(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return fitting(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fitting(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return fitting(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String requested) {
        return alias.equals(requested) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String requested) {
        return alias.equals(requested) ? key : null;
    }
}
