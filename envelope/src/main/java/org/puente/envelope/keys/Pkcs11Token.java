package org.puente.envelope.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The gateway's keys in a PKCS#11 token (an HSM, or SoftHSM2 for tests), through the JDK's SunPKCS11
 * provider: signatures and ECDH happen in the token and the private keys never leave it.
 *
 * <p>The token holds, for each role, a private key and its certificate under one label (by default
 * the role's name: {@code signing}, {@code encryption}, {@code tls}, {@code audit}), and the issuing
 * CA certificates so that each chain can be built up to the root. A key the token would let anyone
 * read out in the clear (not sensitive: SunPKCS11 then gives its encoding) is refused at start-up;
 * whether a sensitive key may still be exported wrapped (CKA_EXTRACTABLE) the provider does not show.
 *
 * <p>Implementation note: the provider is registered with the JCA (at the end of the list), because
 * the JDK's TLS stack finds the provider that can use a key only among the registered ones; only it
 * can use the token's keys, so no other code changes behaviour. One provider per library and slot,
 * for the life of the JVM. ECDH secrets are released by the token (the provider's template for
 * derived secrets says so) and turned into the key-encryption key in software
 * ({@link TokenKeyAgreement}).
 */
public final class Pkcs11Token {
    /** The default environment variable holding the user PIN. */
    public static final String DEFAULT_PIN_ENV = "PUENTE_PKCS11_PIN";
    private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

    /**
     * @param library   the token's PKCS#11 library (e.g. {@code /usr/lib/softhsm/libsofthsm2.so})
     * @param slotIndex index in the library's list of slots with a token (SunPKCS11 {@code slotListIndex})
     * @param labels    the label of each role's key and certificate, by role name
     */
    public record Settings(Path library, int slotIndex, Map<String, String> labels) {
        public Settings {
            labels = Map.copyOf(labels);
        }

        /** Labels equal to the role names. */
        public static Settings of(Path library, int slotIndex) {
            return new Settings(library, slotIndex, Map.of());
        }

        String label(String role) {
            return labels.getOrDefault(role, role);
        }
    }

    private Pkcs11Token() {
    }

    /** Opens the token with the PIN in the named environment variable (never printed). */
    public static KeyMaterial fromEnvironment(Settings settings, String pinEnv) {
        String name = pinEnv == null || pinEnv.isBlank() ? DEFAULT_PIN_ENV : pinEnv;
        String pin = System.getenv(name);
        if (pin == null || pin.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "the environment variable " + name + " (PKCS#11 PIN) is not set");
        }
        return load(settings, pin.toCharArray(), Clock.systemUTC());
    }

    /** Logs in to the token and reads the four roles' keys; the PIN array is wiped. */
    public static KeyMaterial load(Settings settings, char[] pin, Clock clock) {
        Provider provider = provider(settings);
        try {
            KeyStore store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, pin);
            List<KeyMaterial.Entry> signing = List.of(entry(store, settings, KeyMaterial.SIGNING, provider));
            List<KeyMaterial.Entry> encryption = List.of(entry(store, settings, KeyMaterial.ENCRYPTION, provider));
            List<KeyMaterial.Entry> tls = List.of(entry(store, settings, KeyMaterial.TLS, provider));
            List<KeyMaterial.Entry> audit = List.of(entry(store, settings, KeyMaterial.AUDIT, provider));
            return new KeyMaterial(signing, encryption, tls, audit, clock);
        } catch (IOException | GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "the PKCS#11 token in slot index "
                    + settings.slotIndex() + " of " + settings.library() + " cannot be opened (wrong PIN, or no token): "
                    + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static KeyMaterial.Entry entry(KeyStore store, Settings settings, String role, Provider provider)
            throws GeneralSecurityException {
        String label = settings.label(role);
        Key key = store.getKey(label, null);
        Certificate[] chain = store.getCertificateChain(label);
        if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "the PKCS#11 token has no private key with a"
                    + " certificate labelled \"" + label + "\" (the " + role + " key)");
        }
        if (privateKey.getEncoded() != null) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "the PKCS#11 token lets the key labelled \""
                    + label + "\" be read out: mark it sensitive and not extractable");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate c : chain) {
            certificates.add((X509Certificate) c);
        }
        return new KeyMaterial.Entry(role, privateKey, List.copyOf(certificates), provider);
    }

    private static Provider provider(Settings settings) {
        if (!Files.isRegularFile(settings.library())) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "the PKCS#11 library " + settings.library() + " does not exist");
        }
        String key = settings.library().toAbsolutePath() + "#" + settings.slotIndex();
        return PROVIDERS.computeIfAbsent(key, k -> {
            Provider base = Security.getProvider("SunPKCS11");
            if (base == null) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "this JDK has no SunPKCS11 provider");
            }
            Provider configured = base.configure("--name=puente-" + PROVIDERS.size() + "\n"
                    + "library = \"" + settings.library().toAbsolutePath() + "\"\n"
                    + "slotListIndex = " + settings.slotIndex() + "\n"
                    // the per-envelope ECDH secret is read back and run through the KDF in software
                    + "attributes(generate, CKO_SECRET_KEY, CKK_GENERIC_SECRET) = {\n"
                    + "  CKA_SENSITIVE = false\n  CKA_EXTRACTABLE = true\n}\n");
            Security.addProvider(configured);
            return configured;
        });
    }
}
