package org.puente.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** Drop-folder configuration: folders resolved in the data directory, and every bad key stops start-up naming it. */
class DropFolderConfigLoaderTest {
    @TempDir
    Path data;
    final Map<String, String> keys = new HashMap<>();
    Map<String, GatewayConfig.AgencyPush> push = Map.of();

    @Test
    void folders_are_per_agency_client_relative_to_the_data_directory_with_defaults() {
        keys.put("puente.client.cbp.drop.inbound", "drop/cbp/in");
        keys.put("puente.client.cbp.drop.outbound", "drop/cbp/out");
        keys.put("puente.client.ice-hsi.drop.inbound", "/srv/ice/in");
        keys.put("puente.client.ice-hsi.drop.done-files", "true");
        keys.put("puente.client.ice-hsi.drop.language", "es");
        DropFolderConfig c = load();
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.folders()).hasSize(2);
        DropFolderConfig.Folder cbp = c.folders().get(0);
        assertThat(cbp.inbound()).contains(data.resolve("drop/cbp/in"));
        assertThat(cbp.outbound()).contains(data.resolve("drop/cbp/out"));
        assertThat(cbp.doneFiles()).isFalse();
        assertThat(cbp.language()).isEqualTo(Locale.ENGLISH);
        DropFolderConfig.Folder ice = c.folders().get(1);
        assertThat(ice.inbound()).contains(Path.of("/srv/ice/in"));
        assertThat(ice.doneFiles()).isTrue();
        assertThat(ice.language().getLanguage()).isEqualTo("es");
    }

    @Test
    void no_keys_no_folders() {
        assertThat(load().isEmpty()).isTrue();
    }

    @Test
    void refuses_a_drop_folder_for_an_operator() {
        keys.put("puente.client.operator.drop.inbound", "ops");
        assertRefused("puente.client.operator.drop.inbound");
    }

    @Test
    void refuses_overlapping_folders() {
        keys.put("puente.client.cbp.drop.inbound", "drop/cbp");
        keys.put("puente.client.ice-hsi.drop.inbound", "drop/cbp/ice");
        assertRefused("overlaps");
    }

    @Test
    void refuses_an_outbound_folder_beside_push_delivery() {
        push = Map.of("CBP", new GatewayConfig.AgencyPush("CBP", URI.create("https://cbp.example/in")));
        keys.put("puente.client.cbp.drop.outbound", "out");
        assertRefused("push");
    }

    @Test
    void refuses_a_folder_that_is_a_file_or_a_symbolic_link() throws Exception {
        Files.writeString(data.resolve("file"), "x");
        keys.put("puente.client.cbp.drop.inbound", "file");
        assertRefused("not a folder");
        keys.clear();
        Files.createDirectory(data.resolve("real"));
        Files.createSymbolicLink(data.resolve("link"), data.resolve("real"));
        keys.put("puente.client.cbp.drop.inbound", "link");
        assertRefused("symbolic link");
    }

    @Test
    void links_above_a_folder_are_resolved_once_at_start_up() throws Exception {
        Path real = Files.createDirectory(data.resolve("real"));
        Files.createSymbolicLink(data.resolve("alias"), real);
        keys.put("puente.client.cbp.drop.inbound", "alias/cbp/in");
        assertThat(load().folders().get(0).inbound()).contains(real.toRealPath().resolve("cbp/in"));
    }

    @Test
    void refuses_two_names_for_one_folder() throws Exception {
        Path real = Files.createDirectory(data.resolve("real"));
        Files.createSymbolicLink(data.resolve("alias"), real);
        keys.put("puente.client.cbp.drop.inbound", "real/shared");
        keys.put("puente.client.ice-hsi.drop.inbound", "alias/shared");
        assertRefused("overlaps");
    }

    @Test
    void refuses_a_folder_that_holds_the_data_directory() {
        keys.put("puente.client.cbp.drop.inbound", data.getParent().toString());
        assertRefused("puente.client.cbp.drop.inbound");
        assertRefused("data directory");
    }

    @Test
    void refuses_a_language_other_than_english_or_spanish() {
        keys.put("puente.client.cbp.drop.inbound", "in");
        keys.put("puente.client.cbp.drop.language", "fr");
        assertRefused("puente.client.cbp.drop.language");
    }

    private void assertRefused(String mention) {
        PuenteException e = catchThrowableOfType(this::load, PuenteException.class);
        assertThat(e).isNotNull();
        assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
        assertThat(e.getMessage()).contains(mention);
    }

    private DropFolderConfig load() {
        List<ClientEntry> clients = List.of(
                agency("cbp", "CBP"), agency("ice-hsi", "ICE-HSI"),
                new ClientEntry("operator", ClientEntry.Role.OPERATOR, Optional.empty(),
                        Optional.of(new X500Principal("CN=operator")), Optional.empty()));
        GatewayConfig gateway = new GatewayConfig(Country.US, "gateway.us", data, null, null, null, null, clients, null, null,
                push, null);
        return new DropFolderConfigLoader().load(k -> Optional.ofNullable(keys.get(k)), gateway);
    }

    private static ClientEntry agency(String id, String agency) {
        return new ClientEntry(id, ClientEntry.Role.AGENCY, Optional.of(agency), Optional.of(new X500Principal("CN=" + id)),
                Optional.empty());
    }
}
