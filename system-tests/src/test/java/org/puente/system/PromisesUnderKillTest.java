package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.puente.cli.agency.AgencyConnection;
import org.puente.model.Country;

/**
 * Each promise a gateway makes is attacked at its worst instant: the gateway that made it is
 * killed with SIGKILL the moment the promise is seen outside (a client holds the 202, the sender
 * logs the receipt, the agency holds the answer to its acknowledgement or to its business answer,
 * the receiver logs that its notice was answered, the agency finds its file's receipt). After the
 * restart the promised work must be there. A gateway that answered before its commit reached the
 * disk fails these.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PromisesUnderKillTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final int ROUNDS = Integer.getInteger("puente.promise.rounds", 1);
    static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\":\"([0-9a-f-]{36})\"");
    static SystemExchange exchange;

    @BeforeAll
    static void start() {
        exchange = SystemExchange.start("promises-under-kill",
                java.util.Map.of(Country.US, Channels.dropFolders(Country.US)));
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    @Order(1)
    void a_202_is_answered_only_once_its_message_is_on_disk() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            AtomicReference<String> promised = new AtomicReference<>();
            CountDownLatch killed = new CountDownLatch(1);
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                AgencyConnection cbp = exchange.agency(Country.US, "CBP");
                Thread th = new Thread(() -> {
                    while (running.get()) {
                        try {
                            AgencyConnection.Answer a = cbp.submit(CrashRig.MANIFEST);
                            if (a.status() == 202 && promised.compareAndSet(null, a.json().get("messageId").asText())) {
                                exchange.exchange.process(Country.US).kill();
                                killed.countDown();
                            }
                        } catch (RuntimeException e) {
                            return;
                        }
                    }
                });
                th.start();
                submitters.add(th);
            }
            assertThat(killed.await(60, TimeUnit.SECONDS)).as("a 202 came").isTrue();
            running.set(false);
            CrashRig.endSubmitters(submitters);
            exchange.restart(Country.US);

            AgencyConnection.Answer status = exchange.agency(Country.US, "CBP").status(promised.get());
            assertThat(status.status()).as("the message of the 202 (" + promised.get() + ") after the kill").isEqualTo(200);
            assertThat(exchange.awaitMailbox(Country.MX, "ANAM", java.util.Set.of(promised.get()), WAIT))
                    .containsKey(promised.get());
        }
    }

    @Test
    @Order(2)
    void a_receipt_leaves_only_once_its_message_is_stored() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            LogWatch sender = new LogWatch(log(Country.US));
            AgencyConnection cbp = exchange.agency(Country.US, "CBP");
            for (int i = 0; i < 20; i++) {
                assertThat(cbp.submit(CrashRig.MANIFEST).status()).isEqualTo(202);
            }
            Optional<String> line = sender.line("\"message\":\"peer receipted the envelope\"", WAIT);
            exchange.exchange.process(Country.MX).kill();
            assertThat(line).as("the sender logged a receipt").isPresent();
            String id = messageId(line.get());
            exchange.restart(Country.MX);

            assertThat(exchange.agency(Country.MX, "ANAM").get("/api/v1/inbox/" + id).status())
                    .as("the receipted message (" + id + ") in the receiver's mailbox after the kill").isEqualTo(200);
        }
    }

    @Test
    @Order(3)
    void an_acknowledgement_is_answered_only_once_it_is_on_disk() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = exchange.agency(Country.US, "CBP").submit(CrashRig.MANIFEST).json().get("messageId").asText();
            exchange.awaitMailbox(Country.MX, "ANAM", java.util.Set.of(id), WAIT);
            assertThat(exchange.agency(Country.MX, "ANAM").acknowledge(id).status()).isEqualTo(200);
            exchange.exchange.process(Country.MX).kill();
            exchange.restart(Country.MX);

            JsonNode m = exchange.agency(Country.MX, "ANAM").get("/api/v1/inbox/" + id).json();
            assertThat(m.path("acknowledged").asBoolean()).as("acknowledged after the kill").isTrue();
            assertThat(Channels.poll(WAIT, () -> delivered(id))).as("and its notice reached the sender").isPresent();
        }
    }

    @Test
    @Order(4)
    void a_delivery_notice_is_answered_only_once_the_sender_recorded_it() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = exchange.agency(Country.US, "CBP").submit(CrashRig.MANIFEST).json().get("messageId").asText();
            exchange.awaitMailbox(Country.MX, "ANAM", java.util.Set.of(id), WAIT);
            LogWatch receiver = new LogWatch(log(Country.MX));
            assertThat(exchange.agency(Country.MX, "ANAM").acknowledge(id).status()).isEqualTo(200);
            Optional<String> line = receiver.line("\"message\":\"delivery notice answered by the peer\"", WAIT);
            exchange.exchange.process(Country.US).kill();
            assertThat(line).as("the receiver logged the sender's answer to its notice").isPresent();
            String noticed = messageId(line.get());
            exchange.restart(Country.US);

            assertThat(delivered(noticed)).as("DELIVERED at the sender after the kill (" + noticed + ")").isPresent();
        }
    }

    @Test
    @Order(5)
    void a_dropped_file_is_filed_only_once_its_message_is_on_disk() throws Exception {
        Path in = Channels.inbound(exchange.layout(Country.US), "CBP");
        for (int round = 0; round < ROUNDS; round++) {
            String name = "promise-" + round + ".json";
            Path receipt = in.resolve("processed").resolve(name + ".receipt.json");
            Channels.drop(in, name, CrashRig.MANIFEST);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!Files.exists(receipt) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            exchange.exchange.process(Country.US).kill();
            assertThat(receipt).as("the receipt file appeared").exists();
            String id = Channels.json(Channels.await(receipt, WAIT)).path("messageId").asText();
            exchange.restart(Country.US);

            assertThat(exchange.agency(Country.US, "CBP").status(id).status())
                    .as("the message the receipt file names (" + id + ") after the kill").isEqualTo(200);
        }
    }

    @Test
    @Order(6)
    void a_business_answer_is_answered_only_once_it_is_on_disk() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = exchange.agency(Country.US, "CBP").submit(CrashRig.MANIFEST).json().get("messageId").asText();
            exchange.awaitMailbox(Country.MX, "ANAM", java.util.Set.of(id), WAIT);
            assertThat(exchange.agency(Country.MX, "ANAM").post("/api/v1/inbox/" + id + "/answer",
                    "{\"status\":\"NOT_READABLE\",\"reasons\":[{\"code\":\"kill_test\",\"text\":\"answered, then killed\"}]}"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)).status()).isEqualTo(200);
            exchange.exchange.process(Country.MX).kill();
            exchange.restart(Country.MX);

            assertThat(Channels.poll(WAIT, () -> {
                JsonNode s = exchange.agency(Country.US, "CBP").status(id).json();
                return "NOT_READABLE".equals(s.path("answer").path("status").asText()) ? Optional.of(true) : Optional.empty();
            })).as("the answer given before the kill reached the sender (" + id + ")").isPresent();
        }
    }

    @Test
    @Order(7)
    void a_cancellation_is_answered_only_once_it_is_on_disk_and_reaches_the_receiver_after_a_kill() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = exchange.agency(Country.US, "CBP").submit(CrashRig.MANIFEST).json().get("messageId").asText();
            assertThat(exchange.agency(Country.US, "CBP").post("/api/v1/messages/" + id + "/cancel",
                    "{\"reason\":\"cancelled, then killed\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).status())
                    .isEqualTo(200);
            exchange.exchange.process(Country.US).kill();
            exchange.restart(Country.US);

            assertThat(Channels.poll(WAIT, () -> {
                AgencyConnection.Answer a = exchange.agency(Country.MX, "ANAM").get("/api/v1/inbox/" + id);
                return a.status() == 200 && "cancelled, then killed".equals(a.json().path("withdrawal").path("reason").asText())
                        ? Optional.of(true) : Optional.empty();
            })).as("the cancellation made before the kill reached the receiver's mailbox (" + id + ")").isPresent();
        }
    }

    private static Optional<Boolean> delivered(String id) {
        JsonNode s = exchange.agency(Country.US, "CBP").status(id).json();
        return "DELIVERED".equals(s.path("state").asText()) ? Optional.of(true) : Optional.empty();
    }

    private static Path log(Country c) {
        return exchange.layout(c).dataDir().resolve("gateway.log");
    }

    private static String messageId(String line) {
        Matcher m = MESSAGE_ID.matcher(line);
        assertThat(m.find()).as("a message id in " + line).isTrue();
        return m.group(1);
    }
}
