package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.puente.cli.agency.AgencyConnection;
import org.puente.cli.demo.GatewayLayout;
import org.puente.cli.demo.Traffic;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.model.submission.SubmissionParser;
import org.puente.system.soapclient.AcknowledgeRequest;
import org.puente.system.soapclient.Agency;
import org.puente.system.soapclient.GetStatusRequest;
import org.puente.system.soapclient.ListInboxRequest;
import org.puente.system.soapclient.MailboxMessage;
import org.puente.system.soapclient.PuenteFault;
import org.puente.system.soapclient.SubmitRequest;

/**
 * The three doors of the agency API on two real gateway processes: every sample of the catalogue
 * is submitted over REST, over SOAP (a client generated from the WSDL, mutual TLS) and through the
 * drop folder, and the three copies arrive identical on the other side — read over REST, over
 * SOAP and from the receiving agency's outbound folder. Refusals carry the REST codes on every
 * door; hostile XML and unsafe files are refused and leave nothing stored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgencyChannelsTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    static SystemExchange exchange;
    /** Accepted submissions per sending country, for the final count in the databases. */
    static final Map<Country, Set<String>> ACCEPTED = new HashMap<>();
    /** What each accepted message id was (sender and receiver come from its document). */
    static final Map<String, Traffic.Item> SENT = new HashMap<>();

    @BeforeAll
    static void start() {
        exchange = SystemExchange.start("agency-channels", Channels.dropFoldersOfBoth());
        for (Country c : Country.values()) {
            ACCEPTED.put(c, new HashSet<>());
        }
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    /** The three copies of one sample, one per door. */
    record Copies(Traffic.Item item, String rest, String soap, String drop) {
        List<String> ids() {
            return List.of(rest, soap, drop);
        }
    }

    @Test
    @Order(1)
    void every_type_sent_through_rest_soap_and_the_drop_folder_arrives_identical_on_the_other_side() throws Exception {
        List<Traffic.Item> samples = Traffic.samples();
        assertThat(samples.size() + Traffic.dependents().size()).isEqualTo(SampleMessages.all().size());
        Map<String, Copies> copies = new HashMap<>();
        for (Traffic.Item item : samples) {
            copies.put(item.name(), submitThrice(item));
        }
        samples.forEach(item -> awaitDropReceipt(item, copies));
        // a sample naming an earlier message goes once that reached the peer; its three copies are
        // identical and name the REST copy (a response defers the case, which keeps it open)
        for (Traffic.Item dependent : Traffic.dependents()) {
            Copies named = copies.get(dependent.dependency().orElseThrow().sample());
            Traffic.Item sender = named.item();
            assertThat(Channels.poll(WAIT, () -> Optional.of(exchange.agency(sender.country(), sender.agency())
                    .status(named.rest()).json().path("history").toString()).filter(h -> h.contains("RECEIPTED"))))
                    .as(sender.name() + " receipted").isPresent();
            Traffic.Item item = Traffic.naming(dependent, named.rest());
            Traffic.Item copy = dependent.name().startsWith("enforcement.assistance-response") ? deferring(item) : item;
            copies.put(dependent.name(), submitThrice(copy));
            awaitDropReceipt(copy, copies);
        }

        for (Copies c : copies.values()) {
            JsonNode receiver = Traffic.read(c.item().document()).path("receiver");
            Country to = Country.valueOf(receiver.path("country").asText());
            String agency = receiver.path("agency").asText();
            Map<String, Integer> seen = exchange.awaitMailbox(to, agency, Set.copyOf(c.ids()), WAIT);
            assertThat(seen.keySet()).as(c.item().name()).containsAll(c.ids());
            assertIdenticalOnArrival(c, to, agency);
        }
    }

    private static Copies submitThrice(Traffic.Item item) throws PuenteFault {
        GatewayLayout l = exchange.layout(item.country());
        AgencyConnection.Answer rest = exchange.agency(item.country(), item.agency()).submit(item.document());
        assertThat(rest.status()).as(item.name() + ": " + rest.text()).isEqualTo(202);
        String soap = Channels.soap(l, item.agency(), null).submit(submit(item.document(), null)).getMessageId();
        Channels.drop(Channels.inbound(l, item.agency()), item.name(), item.document());
        return new Copies(item, rest.json().get("messageId").asText(), soap, null);
    }

    private static void awaitDropReceipt(Traffic.Item item, Map<String, Copies> copies) {
        Path moved = Channels.inbound(exchange.layout(item.country()), item.agency()).resolve("processed/" + item.name());
        JsonNode r = Channels.json(Channels.filed(moved, ".receipt.json", WAIT));
        assertThat(r.path("replayed").asBoolean()).isFalse();
        Copies c = copies.get(item.name());
        copies.put(item.name(), new Copies(item, c.rest(), c.soap(), r.path("messageId").asText()));
        ACCEPTED.get(item.country()).addAll(copies.get(item.name()).ids());
        copies.get(item.name()).ids().forEach(id -> SENT.put(id, item));
    }

    /** A response as a deferral: a deferral leaves the case open, so the same response may come through every door. */
    private static Traffic.Item deferring(Traffic.Item response) {
        com.fasterxml.jackson.databind.node.ObjectNode doc =
                (com.fasterxml.jackson.databind.node.ObjectNode) Traffic.read(response.document());
        com.fasterxml.jackson.databind.node.ObjectNode p = (com.fasterxml.jackson.databind.node.ObjectNode) doc.path("payload");
        p.put("outcome", "DEFERRED");
        p.put("reason", "Records are being retrieved from the archive.");
        p.put("deferredUntil", java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(30).toString());
        return new Traffic.Item(response.name(), response.country(), response.agency(),
                org.puente.model.CanonicalJson.bytes(doc), false);
    }

    private static void assertIdenticalOnArrival(Copies c, Country to, String agency) {
        byte[] document = c.item().document();
        byte[] submitted = SubmissionParser.payloadBytes(document, SubmissionParser.parse(document));
        AgencyConnection rest = exchange.agency(to, agency);
        Agency soap = Channels.soap(exchange.layout(to), agency, null);
        JsonNode header = null;
        for (String id : c.ids()) {
            String what = c.item().name() + " " + id;
            assertThat(rest.payload(id).body()).as(what + " over REST").isEqualTo(submitted);
            JsonNode viaRest = rest.get("/api/v1/inbox/" + id).json();
            JsonNode h = Channels.comparable(viaRest.path("header"));
            if (header == null) {
                header = h;
            }
            assertThat(h).as(what + " header like the REST submission's").isEqualTo(header);

            MailboxMessage viaSoap = find(soap, id);
            assertThat(viaSoap.getPayload().getBytes(StandardCharsets.UTF_8)).as(what + " over SOAP").isEqualTo(submitted);
            assertThat(Channels.json(viaSoap.getHeader().getBytes(StandardCharsets.UTF_8))).isEqualTo(viaRest.path("header"));

            Path file = Channels.await(Channels.outbound(exchange.layout(to), agency).resolve(id + ".json"), WAIT);
            assertThat(Channels.json(file)).as(what + " as a file").isEqualTo(viaRest);
            assertThat(readString(file)).contains(new String(submitted, StandardCharsets.UTF_8));
        }
    }

    @Test
    @Order(2)
    void received_messages_are_acknowledged_by_taking_the_file_or_over_soap_and_the_senders_see_delivered() throws Exception {
        int i = 0;
        for (Map.Entry<String, Traffic.Item> sent : SENT.entrySet()) {
            String id = sent.getKey();
            JsonNode receiver = Traffic.read(sent.getValue().document()).path("receiver");
            Country to = Country.valueOf(receiver.path("country").asText());
            String agency = receiver.path("agency").asText();
            if (i++ % 2 == 0) {
                Files.delete(Channels.outbound(exchange.layout(to), agency).resolve(id + ".json"));
            } else {
                AcknowledgeRequest ack = new AcknowledgeRequest();
                ack.setMessageId(id);
                assertThat(Channels.soap(exchange.layout(to), agency, null).acknowledge(ack).isAcknowledged()).isTrue();
            }
        }
        for (Map.Entry<String, Traffic.Item> sent : SENT.entrySet()) {
            Traffic.Item item = sent.getValue();
            Agency sender = Channels.soap(exchange.layout(item.country()), item.agency(), null);
            GetStatusRequest status = new GetStatusRequest();
            status.setMessageId(sent.getKey());
            Optional<String> delivered = Channels.poll(WAIT, () -> {
                try {
                    String state = sender.getStatus(status).getState();
                    return "DELIVERED".equals(state) ? Optional.of(state) : Optional.empty();
                } catch (PuenteFault e) {
                    throw new AssertionError(e.getFaultInfo().getCode(), e);
                }
            });
            assertThat(delivered).as(item.name() + " " + sent.getKey()).isPresent();
        }
        assertThat(SENT).hasSize(3 * SampleMessages.all().size());
    }

    @Test
    @Order(3)
    void a_refusal_carries_the_same_code_sentence_and_problems_on_every_door() throws Exception {
        Traffic.Item wrong = Traffic.mistakes().get(0);
        GatewayLayout us = exchange.layout(Country.US);
        JsonNode rest = exchange.agency(Country.US, "CBP").submit(wrong.document()).json();
        PuenteFault soap = catchThrowableOfType(() -> Channels.soap(us, "CBP", null).submit(submit(wrong.document(), null)),
                PuenteFault.class);
        Channels.drop(Channels.inbound(us, "CBP"), "wrong-digit.json", wrong.document());
        JsonNode reason = Channels.json(Channels.filed(Channels.inbound(us, "CBP").resolve("rejected/wrong-digit.json"),
                ".reason.json", WAIT));
        assertThat(rest.path("code").asText()).isEqualTo("invalid_container_number");
        assertThat(soap.getFaultInfo().getCode()).isEqualTo(rest.path("code").asText());
        assertThat(soap.getFaultInfo().getMessage()).isEqualTo(rest.path("message").asText());
        assertThat(soap.getFaultInfo().getProblem().get(0).getPointer()).isEqualTo("/payload/equipment/0/containerNumber");
        assertThat(reason.path("error")).isEqualTo(rest);
    }

    @Test
    @Order(4)
    void hostile_xml_and_unsafe_files_are_refused_cleanly() throws Exception {
        GatewayLayout us = exchange.layout(Country.US);
        AgencyConnection cbp = exchange.agency(Country.US, "CBP");
        Path secret = exchange.work.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-MARKER");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + envelope("<p:SubmitRequest><p:document>&x;</p:document></p:SubmitRequest>");
        StringBuilder lol = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY l0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            lol.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        lol.append("]>").append(envelope("<p:SubmitRequest><p:document>&l9;</p:document></p:SubmitRequest>"));
        for (String hostile : List.of(xxe, lol.toString())) {
            AgencyConnection.Answer a = cbp.send(HttpRequest.newBuilder(URI.create(cbp.base() + "/soap/v1/agency"))
                    .header("Content-Type", "text/xml; charset=UTF-8").header("SOAPAction", "\"\"")
                    .POST(HttpRequest.BodyPublishers.ofString(hostile)));
            assertThat(a.status()).isEqualTo(500);
            assertThat(a.text()).contains("<faultcode>soap:Client</faultcode>").contains("<code>malformed_xml</code>")
                    .doesNotContain("TOP-SECRET-MARKER").doesNotContain("Exception");
        }

        Path in = Channels.inbound(us, "CBP");
        Path outside = exchange.work.resolve("outside.json");
        Files.write(outside, SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes());
        Files.createSymbolicLink(in.resolve("link.json"), outside);
        try (RandomAccessFile f = new RandomAccessFile(in.resolve("huge.json").toFile(), "rw")) {
            f.setLength(2L * 1024 * 1024 * 1024);
        }
        Files.write(in.resolve("latin1.json"), "{\"note\":\"café\"}".getBytes(StandardCharsets.ISO_8859_1));
        Map<String, String> expected = Map.of("link.json", "unsafe_file", "huge.json", "payload_too_large",
                "latin1.json", "invalid_encoding");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            JsonNode reason = Channels.json(Channels.filed(in.resolve("rejected/" + e.getKey()), ".reason.json", WAIT));
            assertThat(reason.path("error").path("code").asText()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(in.resolve("rejected/" + e.getKey())).exists();
        }
        assertThat(outside).exists();
    }

    @Test
    @Order(5)
    void after_shutdown_the_outboxes_hold_exactly_the_accepted_submissions() throws Exception {
        exchange.close();
        for (Country c : Country.values()) {
            try (Connection db = exchange.database(c); Statement st = db.createStatement()) {
                assertThat(EveryMessageTypeTest.count(st, "SELECT COUNT(*) FROM outbox")).as(c.name())
                        .isEqualTo(ACCEPTED.get(c).size());
                assertThat(EveryMessageTypeTest.count(st, "SELECT COUNT(*) FROM audit_event WHERE event = 'SUBMITTED'"))
                        .isEqualTo(ACCEPTED.get(c).size());
            }
        }
    }

    static SubmitRequest submit(byte[] document, String key) {
        SubmitRequest r = new SubmitRequest();
        r.setDocument(new String(document, StandardCharsets.UTF_8));
        r.setIdempotencyKey(key);
        return r;
    }

    static MailboxMessage find(Agency soap, String id) {
        try {
            long after = 0;
            while (true) {
                ListInboxRequest r = new ListInboxRequest();
                r.setAfter(after);
                r.setLimit(500);
                var page = soap.listInbox(r);
                for (MailboxMessage m : page.getMessage()) {
                    if (m.getMessageId().equals(id)) {
                        return m;
                    }
                }
                if (page.getMessage().size() < 500) {
                    throw new AssertionError(id + " is not in the SOAP inbox");
                }
                after = page.getNext();
            }
        } catch (PuenteFault e) {
            throw new AssertionError(e.getFaultInfo().getCode(), e);
        }
    }

    static String envelope(String body) {
        return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:puente:agency:v1\">"
                + "<soap:Body>" + body + "</soap:Body></soap:Envelope>";
    }

    static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
