package org.puente.envelope.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** Reads PKCS#12 keystores into {@link KeyMaterial}; errors name the file and the variable, never the password. */
final class KeystoreLoader {
    private static final Pattern ALIAS = Pattern.compile("(signing|encryption|tls|audit)(-\\d+)?");

    private KeystoreLoader() {
    }

    static char[] passwordFromEnvironment(String variable) {
        String name = variable == null || variable.isBlank() ? KeyMaterial.DEFAULT_PASSWORD_ENV : variable;
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "the environment variable " + name + " (keystore password) is not set");
        }
        return value.toCharArray();
    }

    static KeyMaterial load(List<Path> files, char[] password, Clock clock) {
        List<KeyMaterial.Entry> signing = new ArrayList<>();
        List<KeyMaterial.Entry> encryption = new ArrayList<>();
        List<KeyMaterial.Entry> tls = new ArrayList<>();
        List<KeyMaterial.Entry> audit = new ArrayList<>();
        try {
            for (Path file : files) {
                KeyStore ks = open(file, password);
                for (String alias : Collections.list(ks.aliases())) {
                    Matcher m = ALIAS.matcher(alias);
                    if (!m.matches() || !ks.isKeyEntry(alias)) {
                        continue;
                    }
                    KeyMaterial.Entry entry = entry(ks, file, alias, password);
                    switch (m.group(1)) {
                        case KeyMaterial.SIGNING -> signing.add(entry);
                        case KeyMaterial.ENCRYPTION -> encryption.add(entry);
                        case KeyMaterial.AUDIT -> audit.add(entry);
                        default -> tls.add(entry);
                    }
                }
            }
        } catch (java.security.KeyStoreException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "keystore cannot be listed");
        } finally {
            Arrays.fill(password, '\0');
        }
        return new KeyMaterial(signing, encryption, tls, audit, clock);
    }

    private static KeyStore open(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (NoSuchFileException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "keystore " + file + " does not exist");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                        "keystore " + file + ": wrong password");
            }
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "keystore " + file + " cannot be read (wrong password or not PKCS#12)");
        } catch (GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "keystore " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private static KeyMaterial.Entry entry(KeyStore ks, Path file, String alias, char[] password) {
        try {
            Key key = key(ks, file, alias, password);
            Certificate[] chain = ks.getCertificateChain(alias);
            if (!(key instanceof PrivateKey pk) || chain == null || chain.length == 0) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                        "keystore " + file + ": entry \"" + alias + "\" is not a private key with a certificate");
            }
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : chain) {
                certs.add((X509Certificate) c);
            }
            return new KeyMaterial.Entry(alias, toBouncyCastle(pk), List.copyOf(certs));
        } catch (GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "keystore " + file + ": entry \"" + alias + "\" cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The private key of an entry. The JDK's PKCS#12 keystore on Java 17 cannot build key objects
     * for algorithms it does not know (ML-DSA, ML-KEM: it fails with "Get Key failed"); such a key
     * is read again from the same file through Bouncy Castle's PKCS#12 keystore, which knows them.
     */
    private static Key key(KeyStore ks, Path file, String alias, char[] password) throws GeneralSecurityException {
        try {
            return ks.getKey(alias, password);
        } catch (UnrecoverableKeyException | java.security.NoSuchAlgorithmException e) {
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore bc = KeyStore.getInstance("PKCS12", CryptoProviders.bouncyCastle());
                bc.load(in, password);
                return bc.getKey(alias, password);
            } catch (IOException | GeneralSecurityException | RuntimeException retry) {
                e.addSuppressed(retry);
                throw e;
            }
        }
    }

    /**
     * Re-creates a key as a Bouncy Castle key object.
     *
     * <p>Implementation note: Bouncy Castle converts a JDK key's domain parameters on every
     * {@code initSign}; converting once at load time takes that cost off every message.
     */
    static PrivateKey toBouncyCastle(PrivateKey key) {
        try {
            return KeyFactory.getInstance(key.getAlgorithm(), CryptoProviders.bouncyCastle())
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }
}
