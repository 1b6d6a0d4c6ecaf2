package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;

/**
 * A gateway killed with SIGKILL between submitting a dropped file and moving it out of the
 * inbound folder submits nothing twice: after restart it finds the file again, the idempotency
 * key (file name and content digest) answers the first message id, and the file is filed with a
 * receipt saying so. Once deterministically (the move cannot happen until the restart), once in
 * the middle of a stream of files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DropFolderCrashTest {
    static final Duration WAIT = Duration.ofSeconds(120);
    static final byte[] MANIFEST = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
    static final int STREAM = 100;
    static SystemExchange exchange;
    static Path in;

    @BeforeAll
    static void start() {
        exchange = SystemExchange.start("drop-folder-crash", Channels.dropFoldersOfBoth());
        in = Channels.inbound(exchange.layout(Country.US), "CBP");
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    @Order(1)
    void a_gateway_killed_after_submitting_a_file_but_before_moving_it_submits_it_once_after_restart() throws Exception {
        Set<String> before = exchange.awaitMailbox(Country.MX, "ANAM", Set.of(), Duration.ZERO).keySet();
        // A folder where the receipt's temporary file must go (refused: unsafe_file): the gateway submits the
        // file, then cannot file it away.
        Path blocker = in.resolve("processed/.stuck.json.receipt.json.tmp");
        Files.createDirectories(blocker.resolve("in-the-way"));
        Channels.drop(in, "stuck.json", MANIFEST);

        Optional<String> arrived = Channels.poll(WAIT, () -> {
            Set<String> now = new HashSet<>(exchange.awaitMailbox(Country.MX, "ANAM", Set.of(), Duration.ZERO).keySet());
            now.removeAll(before);
            return now.stream().findFirst();
        });
        assertThat(arrived).as("the file was submitted and delivered").isPresent();
        assertThat(in.resolve("stuck.json")).as("but not moved").exists();

        exchange.exchange.process(Country.US).kill();
        Files.delete(blocker.resolve("in-the-way"));
        Files.delete(blocker);
        exchange.restart(Country.US);

        JsonNode receipt = Channels.json(Channels.filed(in.resolve("processed/stuck.json"), ".receipt.json", WAIT));
        assertThat(receipt.path("messageId").asText()).isEqualTo(arrived.get());
        assertThat(receipt.path("replayed").asBoolean()).isTrue();
        assertThat(in.resolve("stuck.json")).doesNotExist();
        Map<String, Integer> seen = exchange.awaitMailbox(Country.MX, "ANAM", Set.of(arrived.get()), WAIT);
        Set<String> added = new HashSet<>(seen.keySet());
        added.removeAll(before);
        assertThat(added).containsExactly(arrived.get());
        assertThat(seen.get(arrived.get())).isEqualTo(1);
    }

    @Test
    @Order(2)
    void a_gateway_killed_while_taking_a_stream_of_files_submits_each_exactly_once() throws Exception {
        for (int i = 0; i < STREAM; i++) {
            Channels.drop(in, String.format("stream-%03d.json", i), MANIFEST);
        }
        Channels.poll(WAIT, () -> receipts() >= 15 ? Optional.of(true) : Optional.empty());
        exchange.exchange.process(Country.US).kill();
        long atKill = receipts();
        exchange.restart(Country.US);

        Map<String, String> ids = new HashMap<>();
        int replayed = 0;
        for (int i = 0; i < STREAM; i++) {
            String name = String.format("stream-%03d.json", i);
            JsonNode r = Channels.json(Channels.filed(in.resolve("processed/" + name), ".receipt.json", WAIT));
            ids.put(name, r.path("messageId").asText());
            replayed += r.path("replayed").asBoolean() ? 1 : 0;
        }
        System.out.printf("killed the US gateway (SIGKILL) with %d of %d files filed; after restart %d receipts say"
                + " replayed (submitted before the kill, moved after it)%n", atKill, STREAM, replayed);
        assertThat(atKill).isLessThan(STREAM);
        assertThat(Set.copyOf(ids.values())).as("one message per file").hasSize(STREAM);
        Map<String, Integer> seen = exchange.awaitMailbox(Country.MX, "ANAM", Set.copyOf(ids.values()), WAIT);
        for (String id : ids.values()) {
            assertThat(seen.get(id)).as(id).isEqualTo(1);
        }
        try (var left = Files.list(in)) {
            assertThat(left.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .as("nothing left in the inbound folder").noneMatch(n -> n.startsWith("stream-"));
        }
    }

    @Test
    @Order(3)
    void after_shutdown_every_dropped_file_is_exactly_one_outbox_row() throws Exception {
        exchange.close();
        try (Connection db = exchange.database(Country.US); Statement st = db.createStatement()) {
            assertThat(EveryMessageTypeTest.count(st, "SELECT COUNT(*) FROM outbox WHERE idempotency_key LIKE 'drop.%'"))
                    .isEqualTo(STREAM + 1);
            assertThat(EveryMessageTypeTest.count(st, "SELECT COUNT(*) FROM outbox")).isEqualTo(STREAM + 1);
        }
    }

    private static long receipts() {
        try (var files = Files.list(in.resolve("processed"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("stream-") && n.endsWith(".receipt.json"))
                    .count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
