package org.puente.envelope.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.puente.certs.IssuedCredential;
import org.puente.envelope.Gateways;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.model.Country;

/**
 * The TLS key manager follows a key reload, and a handshake that chose its key before the reload
 * still gets that key's chain and private key after it (the swap between the two calls).
 */
class RotatingKeyManagerTest {
    private static final Gateways G = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);

    @Test
    void a_handshake_begun_before_a_reload_finishes_with_the_key_it_chose_and_the_next_one_gets_the_new_key() {
        IssuedCredential oldTls = G.pki.us().gatewayTls();
        Map<String, IssuedCredential> renewed = G.pki.renewGatewayKeys(Country.US, Instant.now());
        AtomicReference<KeyMaterial> inForce = new AtomicReference<>(tlsOnly(oldTls));
        RotatingKeyManager manager = new RotatingKeyManager(inForce::get);

        String chosenBefore = manager.chooseServerAlias("EC", null, null);
        inForce.set(tlsOnly(renewed.get("tls")));

        assertThat(manager.getCertificateChain(chosenBefore)[0]).isEqualTo(oldTls.certificate());
        assertThat(manager.getPrivateKey(chosenBefore)).isNotNull();
        String chosenAfter = manager.chooseServerAlias("EC", null, null);
        assertThat(chosenAfter).isNotEqualTo(chosenBefore);
        assertThat(manager.getCertificateChain(chosenAfter)[0]).isEqualTo(renewed.get("tls").certificate());
        assertThat(manager.getCertificateChain("no-generation-tag")).isNull();
    }

    private static KeyMaterial tlsOnly(IssuedCredential tls) {
        IssuedCredential s = G.pki.us().gatewaySigning();
        IssuedCredential e = G.pki.us().gatewayEncryption();
        return KeyMaterial.builder().signing(s.key(), s.chain()).encryption(e.key(), e.chain())
                .tls(tls.key(), tls.chain()).build();
    }
}
