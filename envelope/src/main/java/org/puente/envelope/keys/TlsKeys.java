package org.puente.envelope.keys;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** Key managers over an in-memory keystore holding only the TLS keys. */
final class TlsKeys {
    private TlsKeys() {
    }

    /**
     * Implementation note: the gateway keystore also holds the signing and encryption keys, and a
     * key manager given the whole keystore may pick any key whose type fits the handshake. A
     * separate in-memory store with only the {@code tls} entries rules that out.
     */
    static KeyManager[] keyManagers(List<KeyMaterial.Entry> tls) {
        if (tls.get(0).token() != null) {
            return new KeyManager[] {new TokenKeyManager(tls.get(0))};
        }
        try {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            char[] password = Base64.getEncoder().encodeToString(random).toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (KeyMaterial.Entry e : tls) {
                ks.setKeyEntry(e.alias(), jdkKey(e), password, e.chain().toArray(Certificate[]::new));
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, password);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "TLS key managers: " + e.getClass().getSimpleName());
        }
    }

    /** JSSE signs with the JDK providers; give it a JDK key object rather than a Bouncy Castle one. */
    private static java.security.PrivateKey jdkKey(KeyMaterial.Entry e) throws GeneralSecurityException {
        return java.security.KeyFactory.getInstance(e.key().getAlgorithm())
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(e.key().getEncoded()));
    }
}
