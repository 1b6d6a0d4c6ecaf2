package org.puente.envelope.bench;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jcajce.spec.UserKeyingMaterialSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;
import org.puente.envelope.Gateways;
import org.puente.envelope.keys.StaticPeerKeyAgreement;
import org.puente.envelope.trust.SignerTrust;
import org.puente.envelope.trust.ValidatedSigner;

/**
 * The raw primitives an envelope is made of, on the same machine and JVM as the envelope
 * benchmarks, so the overhead of CMS above them is visible. EC and RSA through Bouncy Castle (as
 * the envelope uses them), AES-GCM and SHA-256 through both providers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PrimitivesBenchmark {
    private static final Provider BC = CryptoProviders.bouncyCastle();
    private final byte[] signedAttributes = new byte[160];
    private final byte[] data4k = new byte[4096];
    private final byte[] data64k = new byte[65536];
    private final byte[] out = new byte[65536 + 16];
    private final SecureRandom random = new SecureRandom();
    private KeyPair p256;
    private KeyPair p256peer;
    private KeyPair p384;
    private KeyPair p384peer;
    private KeyPair rsa;
    private byte[] sigP256;
    private byte[] sigP384;
    private byte[] sigRsa;
    private byte[] wrappedRsa;
    private SecretKeySpec aesKey;
    private OAEPParameterSpec oaep;
    private SignerTrust uncachedTrust;
    private Gateways p256Gateways;

    @Setup
    public void setUp() throws Exception {
        p256 = ec("secp256r1");
        p256peer = ec("secp256r1");
        p384 = ec("secp384r1");
        p384peer = ec("secp384r1");
        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA", BC);
        rsaGen.initialize(3072);
        rsa = rsaGen.generateKeyPair();
        sigP256 = ecdsaP256Sign();
        sigP384 = ecdsaP384Sign();
        sigRsa = rsaPssSign();
        aesKey = new SecretKeySpec(new byte[32], "AES");
        oaep = new OAEPParameterSpec("SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256,
                PSource.PSpecified.DEFAULT);
        Cipher wrap = Cipher.getInstance("RSA/NONE/OAEPPadding", BC);
        wrap.init(Cipher.ENCRYPT_MODE, rsa.getPublic(), oaep);
        wrappedRsa = wrap.doFinal(new byte[32]);
        p256Gateways = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);
        uncachedTrust = p256Gateways.mxTrustBuilder(java.time.Clock.systemUTC())
                .validationCache(java.time.Duration.ZERO, 0).build();
    }

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    @Benchmark
    public byte[] ecdsaP256Sign() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA", BC);
        s.initSign(p256.getPrivate());
        s.update(signedAttributes);
        return s.sign();
    }

    @Benchmark
    public boolean ecdsaP256Verify() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA", BC);
        s.initVerify(p256.getPublic());
        s.update(signedAttributes);
        return s.verify(sigP256);
    }

    @Benchmark
    public byte[] ecdsaP384Sign() throws Exception {
        Signature s = Signature.getInstance("SHA384withECDSA", BC);
        s.initSign(p384.getPrivate());
        s.update(signedAttributes);
        return s.sign();
    }

    @Benchmark
    public boolean ecdsaP384Verify() throws Exception {
        Signature s = Signature.getInstance("SHA384withECDSA", BC);
        s.initVerify(p384.getPublic());
        s.update(signedAttributes);
        return s.verify(sigP384);
    }

    @Benchmark
    public byte[] ecdhP256() throws Exception {
        KeyAgreement ka = KeyAgreement.getInstance("ECDH", BC);
        ka.init(p256.getPrivate());
        ka.doPhase(p256peer.getPublic(), true);
        return ka.generateSecret();
    }

    /** ECDH as sealing does it: the peer's static point precomputed (X9.63 KDF included, ~1 µs). */
    @Benchmark
    public byte[] ecdhP256StaticPeer() throws Exception {
        KeyAgreement ka = KeyAgreement.getInstance(AlgorithmProfile.EC_P256_AES256GCM.keyAgreement().getId(),
                StaticPeerKeyAgreement.provider());
        ka.init(p256.getPrivate(), new UserKeyingMaterialSpec(signedAttributes));
        ka.doPhase(p256peer.getPublic(), true);
        return ka.generateSecret(AlgorithmProfile.KEY_WRAP.getId()).getEncoded();
    }

    @Benchmark
    public byte[] ecdhP384() throws Exception {
        KeyAgreement ka = KeyAgreement.getInstance("ECDH", BC);
        ka.init(p384.getPrivate());
        ka.doPhase(p384peer.getPublic(), true);
        return ka.generateSecret();
    }

    @Benchmark
    public KeyPair ecKeyPairP256() throws Exception {
        return ec("secp256r1");
    }

    @Benchmark
    public byte[] rsaPssSign() throws Exception {
        Signature s = Signature.getInstance("RSASSA-PSS", BC);
        s.setParameter(AlgorithmProfile.RSA3072_AES256GCM.signatureParameters());
        s.initSign(rsa.getPrivate());
        s.update(signedAttributes);
        return s.sign();
    }

    @Benchmark
    public boolean rsaPssVerify() throws Exception {
        Signature s = Signature.getInstance("RSASSA-PSS", BC);
        s.setParameter(AlgorithmProfile.RSA3072_AES256GCM.signatureParameters());
        s.initVerify(rsa.getPublic());
        s.update(signedAttributes);
        return s.verify(sigRsa);
    }

    @Benchmark
    public byte[] rsaOaepUnwrap() throws Exception {
        Cipher c = Cipher.getInstance("RSA/NONE/OAEPPadding", BC);
        c.init(Cipher.DECRYPT_MODE, rsa.getPrivate(), oaep);
        return c.doFinal(wrappedRsa);
    }

    @Benchmark
    public int aesGcm4kJdk() throws Exception {
        return gcm(CryptoProviders.RECOMMENDED.contentCipher(), data4k);
    }

    @Benchmark
    public int aesGcm64kJdk() throws Exception {
        return gcm(CryptoProviders.RECOMMENDED.contentCipher(), data64k);
    }

    @Benchmark
    public int aesGcm4kBc() throws Exception {
        return gcm(BC, data4k);
    }

    @Benchmark
    public int aesGcm64kBc() throws Exception {
        return gcm(BC, data64k);
    }

    @Benchmark
    public byte[] sha256of4kJdk() throws Exception {
        return MessageDigest.getInstance("SHA-256", CryptoProviders.RECOMMENDED.digest()).digest(data4k);
    }

    @Benchmark
    public byte[] sha256of4kBc() throws Exception {
        return MessageDigest.getInstance("SHA-256", BC).digest(data4k);
    }

    /** Full PKIX validation of the peer's signing certificate with CRLs (what the cache saves per message). */
    @Benchmark
    public ValidatedSigner pkixValidationP256() {
        var signer = p256Gateways.pki.us().gatewaySigning();
        return uncachedTrust.validate(signer.certificate(), signer.chain(), Instant.now());
    }

    private int gcm(Provider provider, byte[] data) throws Exception {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
        c.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, nonce));
        return c.doFinal(data, 0, data.length, out, 0);
    }
}
