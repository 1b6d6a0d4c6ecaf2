package org.puente.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** The database keys as the loader reads them: {@code puente.db.instance-id} above all. */
class DatabaseSettingsTest {
    private final Map<String, String> props = new HashMap<>(Map.ofEntries(
            Map.entry("puente.country", "US"),
            Map.entry("puente.gateway.name", "gateway.us.puente.sample"),
            Map.entry("puente.pki.keystore", "us/gateway.p12"),
            Map.entry("puente.pki.trust.own", "us/root-ca.pem"),
            Map.entry("puente.pki.trust.peer", "mx/root-ca.pem"),
            Map.entry("puente.pki.crls", "us/root-ca.crl.pem"),
            Map.entry("puente.peer.name", "gateway.mx.puente.sample"),
            Map.entry("puente.peer.url", "https://localhost:9444"),
            Map.entry("puente.peer.encryption-certificate", "mx/gateway-encryption.chain.pem"),
            Map.entry("puente.clients", "cbp"),
            Map.entry("puente.client.cbp.role", "agency"),
            Map.entry("puente.client.cbp.agency", "CBP"),
            Map.entry("puente.client.cbp.subject", "CN=cbp"),
            Map.entry("puente.client.cbp.issuer", "CN=issuing-ca"),
            Map.entry("puente.db.url", "jdbc:postgresql://localhost/puente")));

    @TempDir
    Path pki;

    /** The files the loader checks are readable (it does not parse them). */
    @BeforeEach
    void pkiFiles() throws IOException {
        for (String f : List.of("us/gateway.p12", "us/root-ca.pem", "mx/root-ca.pem", "us/root-ca.crl.pem",
                "mx/gateway-encryption.chain.pem")) {
            Files.createDirectories(pki.resolve(f).getParent());
            Files.createFile(pki.resolve(f));
        }
        props.put("puente.pki.dir", pki.toString());
        props.put("puente.data.dir", pki.resolve("data").toString());
    }

    @Test
    void an_instance_id_is_read_as_given_and_absent_by_default() {
        assertThat(load().database().instanceId()).isEmpty();
        props.put("puente.db.instance-id", "us-east.1_a");
        assertThat(load().database().instanceId()).contains("us-east.1_a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"us/1", "us 1", "us%", "012345678901234567890123456789012"})
    void an_instance_id_that_could_reach_into_another_s_lease_names_is_refused_naming_the_key(String id) {
        props.put("puente.db.instance-id", id);
        assertThatThrownBy(this::load).isInstanceOfSatisfying(PuenteException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
            assertThat(e.getMessage()).contains("puente.db.instance-id").contains("1 to 32 letters, digits");
        });
    }

    @Test
    void an_instance_id_whose_lease_owners_would_not_fit_their_column_is_refused_naming_the_key() {
        // gateway/instance/UUID must fit work.lease_owner, VARCHAR(100) on PostgreSQL
        props.put("puente.gateway.name", "gateway.us.customs-and-border-protection.example.gov");
        props.put("puente.db.instance-id", "a-32-character-instance-name-xyz");
        assertThatThrownBy(this::load).isInstanceOfSatisfying(PuenteException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
            assertThat(e.getMessage()).contains("puente.db.instance-id is too long beside puente.gateway.name: at most 10");
        });
        props.put("puente.db.instance-id", "0123456789");
        assertThat(load().database().instanceId()).contains("0123456789");
    }

    private GatewayConfig load() {
        return new GatewayConfigLoader(MessageCatalogue.standard()).load(k -> Optional.ofNullable(props.get(k)));
    }
}
