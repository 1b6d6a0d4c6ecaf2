package org.puente.envelope.keys;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.KeyAgreement;
import javax.crypto.KeyAgreementSpi;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.generators.KDF2BytesGenerator;
import org.bouncycastle.crypto.params.KDFParameters;
import org.bouncycastle.crypto.util.DigestFactory;
import org.bouncycastle.jcajce.spec.UserKeyingMaterialSpec;
import org.puente.envelope.crypto.CryptoProviders;

/**
 * The RFC 5753 key agreement of an envelope addressed to a key that lives in a PKCS#11 token: the
 * token computes the raw ECDH secret with its private key (CKM_ECDH1_DERIVE, through the JDK's
 * SunPKCS11 provider), and the X9.63 KDF (KDF2 over SHA-256 or SHA-384 with the ECC-CMS-SharedInfo
 * Bouncy Castle passes as user keying material) runs here, as in Bouncy Castle's own agreement.
 *
 * <p>Implementation note: what leaves the token is the per-envelope shared secret, never the
 * private key; the secret is wiped once the key-encryption key is derived. SunPKCS11 offers no
 * KDF for CKM_ECDH1_DERIVE, hence this provider; Bouncy Castle's CMS recipient uses it for the
 * agreement and its own provider for the AES key unwrap. It also serves the {@code EC} key factory
 * the recipient asks the same provider for (Bouncy Castle's).
 */
final class TokenKeyAgreement extends KeyAgreementSpi {
    private static final Map<Provider, Provider> BY_TOKEN = new ConcurrentHashMap<>();

    private final Provider token;
    private final boolean sha384;
    private PrivateKey key;
    private byte[] sharedInfo;
    private byte[] secret;

    private TokenKeyAgreement(Provider token, boolean sha384) {
        this.token = token;
        this.sha384 = sha384;
    }

    /** The key-agreement provider for keys held by {@code token} (one per token provider). */
    static Provider provider(Provider token) {
        return BY_TOKEN.computeIfAbsent(token, TokenProvider::new);
    }

    @Override
    protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
        try {
            engineInit(key, null, random);
        } catch (InvalidAlgorithmParameterException e) {
            throw new InvalidKeyException(e.getMessage(), e);
        }
    }

    @Override
    protected void engineInit(Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (!(key instanceof PrivateKey privateKey)) {
            throw new InvalidKeyException("a private key of the token is required");
        }
        if (params != null && !(params instanceof UserKeyingMaterialSpec)) {
            throw new InvalidAlgorithmParameterException("only user keying material is accepted");
        }
        this.key = privateKey;
        this.sharedInfo = params == null ? null : ((UserKeyingMaterialSpec) params).getUserKeyingMaterial();
    }

    @Override
    protected Key engineDoPhase(Key peer, boolean lastPhase) throws InvalidKeyException {
        if (!lastPhase || !(peer instanceof PublicKey)) {
            throw new IllegalStateException("ECDH has one phase, with the originator's public key");
        }
        try {
            KeyAgreement ecdh = KeyAgreement.getInstance("ECDH", token);
            ecdh.init(key);
            ecdh.doPhase(peer, true);
            secret = ecdh.generateSecret();
        } catch (NoSuchAlgorithmException e) {
            throw new InvalidKeyException("the token offers no ECDH", e);
        }
        return null;
    }

    @Override
    protected byte[] engineGenerateSecret() {
        throw new UnsupportedOperationException("the raw shared secret is not released; ask for a wrapping key");
    }

    @Override
    protected int engineGenerateSecret(byte[] sharedSecret, int offset) {
        throw new UnsupportedOperationException("the raw shared secret is not released; ask for a wrapping key");
    }

    @Override
    protected SecretKey engineGenerateSecret(String algorithm) throws NoSuchAlgorithmException {
        int bytes = wrapKeyBytes(algorithm);
        if (secret == null) {
            throw new IllegalStateException("no agreement yet");
        }
        try {
            Digest digest = sha384 ? DigestFactory.createSHA384() : DigestFactory.createSHA256();
            KDF2BytesGenerator kdf = new KDF2BytesGenerator(digest);
            kdf.init(new KDFParameters(secret, sharedInfo));
            byte[] out = new byte[bytes];
            kdf.generateBytes(out, 0, out.length);
            return new SecretKeySpec(out, "AES");
        } finally {
            Arrays.fill(secret, (byte) 0);
            secret = null;
        }
    }

    /** The profiles wrap with AES-256 (RFC 3394); AES-128 wrap is accepted for completeness. */
    private static int wrapKeyBytes(String algorithm) throws NoSuchAlgorithmException {
        if (NISTObjectIdentifiers.id_aes256_wrap.getId().equals(algorithm)) {
            return 32;
        }
        if (NISTObjectIdentifiers.id_aes128_wrap.getId().equals(algorithm)) {
            return 16;
        }
        throw new NoSuchAlgorithmException("no key-encryption key for " + algorithm);
    }

    private static final class TokenProvider extends Provider {
        TokenProvider(Provider token) {
            super("PuenteTokenECDH-" + token.getName(), "1.0", "ECDH in a PKCS#11 token, X9.63 KDF in software");
            agreement("ECDHwithSHA256KDF", SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme, token, false);
            agreement("ECDHwithSHA384KDF", SECObjectIdentifiers.dhSinglePass_stdDH_sha384kdf_scheme, token, true);
            Provider.Service ecKeys = CryptoProviders.bouncyCastle().getService("KeyFactory", "EC");
            putService(new Service(this, "KeyFactory", "EC", ecKeys.getClassName(),
                    List.of(X9ObjectIdentifiers.id_ecPublicKey.getId()), null) {
                @Override
                public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                    return ecKeys.newInstance(constructorParameter);
                }
            });
        }

        private void agreement(String name, ASN1ObjectIdentifier oid, Provider token, boolean sha384) {
            putService(new Service(this, "KeyAgreement", name, TokenKeyAgreement.class.getName(),
                    List.of(oid.getId()), null) {
                @Override
                public Object newInstance(Object constructorParameter) {
                    return new TokenKeyAgreement(token, sha384);
                }
            });
        }
    }
}
