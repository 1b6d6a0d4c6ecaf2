package org.puente.envelope.keys;

import java.math.BigInteger;
import java.security.Provider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.RawAgreement;
import org.bouncycastle.crypto.agreement.ECDHRawAgreement;
import org.bouncycastle.crypto.generators.KDF2BytesGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.DigestFactory;
import org.bouncycastle.jcajce.provider.asymmetric.ec.KeyAgreementSpi;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.FixedPointUtil;
import org.bouncycastle.util.encoders.Hex;

/**
 * ECDH for the sending side of an envelope, where one of the two points never changes: the
 * ephemeral private key of each envelope times the peer gateway's static encryption key.
 *
 * <p>Implementation note: Bouncy Castle's ECDH decodes the peer's point afresh on every agreement
 * and multiplies it with its variable-point constant-time multiplier, which builds a table for the
 * point each time (~45 % of {@code seal}'s CPU time in a profile). Here the peer's point keeps a
 * precomputed comb table (Bouncy Castle's {@link FixedPointCombMultiplier}, the multiplier its own
 * key generation and ECDSA signing use for their secret scalars, with the same constant-time table
 * lookup), so the agreement costs about what generating a key pair costs. Everything around the
 * multiplication is Bouncy Castle's: its JCA {@code KeyAgreementSpi} with the X9.63 KDF
 * (KDF2 over SHA-256 or SHA-384, RFC 5753's {@code dhSinglePass-stdDH-sha*kdf-scheme}) and key
 * sizes, and the CMS recipient generator that calls it. The result is the same shared secret, bit
 * for bit, so the envelope is unchanged: OpenSSL and Bouncy Castle's own recipient open it.
 * Only public values are cached (the peer's point and its multiples).
 */
public final class StaticPeerKeyAgreement {
    private static final int MAX_CACHED_POINTS = 64;
    private static final Map<String, ECPoint> PRECOMPUTED = new ConcurrentHashMap<>();
    private static final Provider PROVIDER = new PeerProvider();

    private StaticPeerKeyAgreement() {
    }

    /** A provider with the two ECDH-with-KDF key agreements of the EC profiles, and nothing else. */
    public static Provider provider() {
        return PROVIDER;
    }

    /** The peer's point with its comb table, computed once per distinct point. */
    static ECPoint precomputed(ECCurve curve, ECPoint peer) {
        byte[] encoded = peer.getEncoded(false);
        String key = Hex.toHexString(encoded);
        ECPoint cached = PRECOMPUTED.get(key);
        if (cached != null && cached.getCurve().equals(curve)) {
            return cached;
        }
        if (PRECOMPUTED.size() >= MAX_CACHED_POINTS) {
            PRECOMPUTED.clear(); // peers have a handful of encryption keys: only a misuse fills it
        }
        ECPoint point = curve.decodePoint(encoded);
        FixedPointUtil.precompute(point); // builds the comb table and attaches it to the point
        PRECOMPUTED.put(key, point);
        return point;
    }

    /** x-coordinate of d·Q (RFC 5753 "standard" ECDH, cofactor 1), the peer's point Q precomputed. */
    static final class PrecomputedPeerAgreement implements RawAgreement {
        private ECPrivateKeyParameters key;

        @Override
        public void init(CipherParameters parameters) {
            this.key = (ECPrivateKeyParameters) parameters;
        }

        @Override
        public int getAgreementSize() {
            return key.getParameters().getCurve().getFieldElementEncodingLength();
        }

        @Override
        public void calculateAgreement(CipherParameters publicKey, byte[] buf, int off) {
            ECPublicKeyParameters peer = (ECPublicKeyParameters) publicKey;
            ECDomainParameters params = key.getParameters();
            if (!params.equals(peer.getParameters())) {
                throw new IllegalStateException("ECDH public key has wrong domain parameters");
            }
            if (!BigInteger.ONE.equals(params.getH())) {
                ECDHRawAgreement general = new ECDHRawAgreement();
                general.init(key);
                general.calculateAgreement(publicKey, buf, off);
                return;
            }
            ECPoint q = precomputed(params.getCurve(), peer.getQ());
            ECPoint shared = new FixedPointCombMultiplier().multiply(q, key.getD()).normalize();
            if (shared.isInfinity()) {
                throw new IllegalStateException("Infinity is not a valid agreement value for ECDH");
            }
            shared.getAffineXCoord().encodeTo(buf, off);
        }
    }

    /** Bouncy Castle's ECDH-with-KDF key agreement, with the precomputed multiplication. */
    static final class Sha256Kdf extends KeyAgreementSpi {
        Sha256Kdf() {
            super("ECDHwithSHA256KDF", new PrecomputedPeerAgreement(),
                    new KDF2BytesGenerator(DigestFactory.createSHA256()));
        }
    }

    /** As {@link Sha256Kdf}, with the SHA-384 KDF of the P-384 profile. */
    static final class Sha384Kdf extends KeyAgreementSpi {
        Sha384Kdf() {
            super("ECDHwithSHA384KDF", new PrecomputedPeerAgreement(),
                    new KDF2BytesGenerator(DigestFactory.createSHA384()));
        }
    }

    private static final class PeerProvider extends Provider {
        PeerProvider() {
            super("PuenteStaticPeerECDH", "1.0", "ECDH with a precomputed static peer key (Bouncy Castle arithmetic)");
            keyAgreement("ECDHwithSHA256KDF", SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme, Sha256Kdf::new);
            keyAgreement("ECDHwithSHA384KDF", SECObjectIdentifiers.dhSinglePass_stdDH_sha384kdf_scheme, Sha384Kdf::new);
        }

        /** A service made directly, without the reflection a class name would need. */
        private void keyAgreement(String name, ASN1ObjectIdentifier oid, Supplier<KeyAgreementSpi> spi) {
            putService(new Service(this, "KeyAgreement", name, spi.getClass().getName(), List.of(oid.getId()), null) {
                @Override
                public Object newInstance(Object constructorParameter) {
                    return spi.get();
                }
            });
        }
    }
}
