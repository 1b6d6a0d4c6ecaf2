package org.puente.certs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * Builds PKCS#12 files with the JDK's own {@code PKCS12} keystore.
 *
 * <p>Implementation note: since JDK 12 (and 11.0.12) that keystore protects keys and certificates
 * with PBES2 (PBKDF2-HmacSHA256, AES-256-CBC) and the file with an HmacSHA256 MAC, which both the
 * JDK and OpenSSL 3.0 read; the legacy RC2/3DES defaults of older tools would need OpenSSL's legacy
 * provider. Trusted certificates get the JDK's trusted-key-usage attribute, so the JDK loads them
 * as trusted entries; OpenSSL simply reads them as certificates.
 */
final class Pkcs12Files {
    private Pkcs12Files() {
    }

    /** A keystore with one key entry per alias, each with its full chain. */
    static byte[] keys(Map<String, IssuedCredential> byAlias, char[] password) {
        try {
            KeyStore store = empty();
            for (Map.Entry<String, IssuedCredential> entry : byAlias.entrySet()) {
                IssuedCredential credential = entry.getValue();
                store.setKeyEntry(entry.getKey(), credential.key(), password, credential.chainArray());
            }
            return bytes(store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw PkiFailures.internal("building a PKCS#12 keystore", e);
        }
    }

    /** A truststore: trusted certificate entries only. */
    static byte[] trusted(Map<String, X509Certificate> byAlias, char[] password) {
        try {
            KeyStore store = empty();
            for (Map.Entry<String, X509Certificate> entry : byAlias.entrySet()) {
                store.setCertificateEntry(entry.getKey(), entry.getValue());
            }
            return bytes(store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw PkiFailures.internal("building a PKCS#12 truststore", e);
        }
    }

    private static KeyStore empty() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static byte[] bytes(KeyStore store, char[] password) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        return out.toByteArray();
    }
}
