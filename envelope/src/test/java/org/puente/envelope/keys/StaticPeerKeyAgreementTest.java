package org.puente.envelope.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.jcajce.spec.UserKeyingMaterialSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;

class StaticPeerKeyAgreementTest {
    private static final Provider BC = CryptoProviders.bouncyCastle();
    private static final String KEK = NISTObjectIdentifiers.id_aes256_wrap.getId();
    private static final byte[] SHARED_INFO = "ECC-CMS-SharedInfo stand-in".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** The peer's key as a certificate gives it: a JDK key object, not a Bouncy Castle one. */
    private static KeyPair jdkKeyPair(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static KeyPair bcKeyPair(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static byte[] kek(Provider provider, AlgorithmProfile profile, KeyPair ephemeral, KeyPair peer)
            throws Exception {
        KeyAgreement ka = KeyAgreement.getInstance(profile.keyAgreement().getId(), provider);
        ka.init(ephemeral.getPrivate(), new UserKeyingMaterialSpec(SHARED_INFO));
        ka.doPhase(peer.getPublic(), true);
        return ka.generateSecret(KEK).getEncoded();
    }

    @ParameterizedTest
    @EnumSource(value = AlgorithmProfile.class, names = {"EC_P256_AES256GCM", "EC_P384_AES256GCM"})
    void derives_the_same_key_encryption_key_as_bouncy_castle_for_every_ephemeral_key(AlgorithmProfile profile)
            throws Exception {
        KeyPair peer = jdkKeyPair(profile.curveName());
        for (int i = 0; i < 40; i++) { // the first computes the peer's table, the others reuse it
            KeyPair ephemeral = bcKeyPair(profile.curveName());
            byte[] ours = kek(StaticPeerKeyAgreement.provider(), profile, ephemeral, peer);
            assertThat(ours).hasSize(32).isEqualTo(kek(BC, profile, ephemeral, peer));
        }
    }

    @Test
    void keeps_one_table_per_peer_key_and_tells_peers_apart() throws Exception {
        AlgorithmProfile profile = AlgorithmProfile.EC_P256_AES256GCM;
        KeyPair first = jdkKeyPair(profile.curveName());
        KeyPair second = jdkKeyPair(profile.curveName());
        for (int i = 0; i < 10; i++) {
            KeyPair ephemeral = bcKeyPair(profile.curveName());
            byte[] toFirst = kek(StaticPeerKeyAgreement.provider(), profile, ephemeral, first);
            byte[] toSecond = kek(StaticPeerKeyAgreement.provider(), profile, ephemeral, second);
            assertThat(toFirst).isEqualTo(kek(BC, profile, ephemeral, first)).isNotEqualTo(toSecond);
            assertThat(toSecond).isEqualTo(kek(BC, profile, ephemeral, second));
        }
    }

    @Test
    void refuses_a_peer_key_on_another_curve() throws Exception {
        KeyPair ephemeral = bcKeyPair("secp256r1");
        KeyPair peer = jdkKeyPair("secp384r1");
        KeyAgreement ka = KeyAgreement.getInstance(AlgorithmProfile.EC_P256_AES256GCM.keyAgreement().getId(),
                StaticPeerKeyAgreement.provider());
        ka.init(ephemeral.getPrivate(), new UserKeyingMaterialSpec(SHARED_INFO));
        assertThatThrownBy(() -> ka.doPhase(peer.getPublic(), true))
                .hasMessageContaining("wrong domain parameters");
    }
}
