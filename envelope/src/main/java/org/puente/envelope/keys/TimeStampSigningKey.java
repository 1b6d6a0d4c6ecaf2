package org.puente.envelope.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The key and chain of a time-stamping authority, held here so that the TSA (package
 * {@code timestamp}) signs tokens without ever touching the private key, as for every other key.
 *
 * <p>Implementation note: tokens are signed with SHA-256 and the key's own signature family
 * (ECDSA for EC keys, PKCS#1 v1.5 for RSA keys: what {@code openssl ts -verify} and every RFC 3161
 * client accept), through Bouncy Castle like the gateway's other signatures.
 */
public final class TimeStampSigningKey {
    private final PrivateKey key;
    private final List<X509Certificate> chain;

    private TimeStampSigningKey(PrivateKey key, List<X509Certificate> chain) {
        this.key = Objects.requireNonNull(key, "key");
        if (chain.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "the TSA key has no certificate");
        }
        this.chain = List.copyOf(chain);
    }

    /** A TSA key and its chain (TSA certificate first, then its CAs), e.g. the sample PKI's TSA credential. */
    public static TimeStampSigningKey of(PrivateKey key, List<X509Certificate> chain) {
        return new TimeStampSigningKey(key, chain);
    }

    /** The key entry {@code alias} of a PKCS#12 file, e.g. the sample set's {@code us/tsa.p12} (alias {@code tsa}). */
    public static TimeStampSigningKey fromPkcs12(Path p12, char[] password, String alias) {
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            if (!store.isKeyEntry(alias)) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "no key entry \"" + alias + "\" in " + p12);
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : store.getCertificateChain(alias)) {
                chain.add((X509Certificate) c);
            }
            return new TimeStampSigningKey((PrivateKey) store.getKey(alias, password), chain);
        } catch (IOException | GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e,
                    "TSA keystore " + p12 + " cannot be read (missing, wrong password or not PKCS#12)");
        }
    }

    /** The TSA certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The TSA certificate and its CAs, as given. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** A CMS signer over this key for Bouncy Castle's {@code TimeStampTokenGenerator}. */
    public SignerInfoGenerator signerInfoGenerator() {
        String algorithm = "RSA".equalsIgnoreCase(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            return new JcaSimpleSignerInfoGeneratorBuilder().setProvider(CryptoProviders.bouncyCastle())
                    .build(algorithm, key, certificate());
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e,
                    "the TSA key cannot sign with " + algorithm + " (" + e.getMessage() + ")");
        }
    }
}
