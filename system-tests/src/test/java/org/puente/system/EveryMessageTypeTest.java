package org.puente.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.puente.cli.agency.AgencyConnection;
import org.puente.cli.demo.Traffic;
import org.puente.model.Country;
import org.puente.model.submission.SubmissionParser;

/**
 * Every message type of the catalogue flows US to MX and MX to US through two real gateway
 * processes over mutual TLS, and arrives byte-identical in the mailbox of the agency it names;
 * refused submissions leave nothing in the outbox and are audited.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EveryMessageTypeTest {
    static SystemExchange exchange;
    static final Map<String, Traffic.Item> SENT = new HashMap<>();

    @BeforeAll
    static void start() {
        exchange = SystemExchange.start("every-message-type");
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    @Order(1)
    void every_sample_arrives_byte_identical_in_the_mailbox_of_the_agency_it_names() {
        List<Traffic.Item> samples = new java.util.ArrayList<>(Traffic.samples());
        samples.addAll(Traffic.dependents());
        assertThat(samples.stream().map(i -> i.name().split("\\.")[0] + "." + i.name().split("\\.")[1]).distinct())
                .hasSize(10);
        assertThat(samples.stream().filter(i -> i.country() == Country.US)).isNotEmpty();
        assertThat(samples.stream().filter(i -> i.country() == Country.MX)).isNotEmpty();
        Map<String, Set<String>> expectedByMailbox = new HashMap<>();
        // the responses to assistance requests go once their requests reached the peer (their cases are open there)
        List<Traffic.Submitted> submitted = Traffic.submitInOrder(Traffic.samples(), Traffic.dependents(), exchange::agency,
                Duration.ofSeconds(60), s -> { });
        assertThat(submitted).hasSize(samples.size());
        for (Traffic.Submitted s : submitted) {
            Traffic.Item item = s.item();
            AgencyConnection.Answer a = s.answer();
            assertThat(a.status()).as(item.name() + ": " + a.text()).isEqualTo(202);
            String id = a.json().get("messageId").asText();
            SENT.put(id, item);
            JsonNode receiver = Traffic.read(item.document()).path("receiver");
            expectedByMailbox.computeIfAbsent(receiver.path("country").asText() + "/" + receiver.path("agency").asText(),
                    k -> new HashSet<>()).add(id);
        }
        for (Map.Entry<String, Set<String>> mailbox : expectedByMailbox.entrySet()) {
            Country c = Country.valueOf(mailbox.getKey().split("/")[0]);
            String agency = mailbox.getKey().split("/")[1];
            Map<String, Integer> seen = exchange.awaitMailbox(c, agency, mailbox.getValue(), Duration.ofSeconds(60));
            assertThat(seen.keySet()).as("mailbox " + mailbox.getKey()).containsAll(mailbox.getValue());
            AgencyConnection conn = exchange.agency(c, agency);
            for (String id : mailbox.getValue()) {
                byte[] document = SENT.get(id).document();
                byte[] sent = SubmissionParser.payloadBytes(document, SubmissionParser.parse(document));
                assertThat(conn.payload(id).body()).as(SENT.get(id).name()).isEqualTo(sent);
                assertThat(conn.acknowledge(id).status()).isEqualTo(200);
            }
        }
    }

    @Test
    @Order(2)
    void a_refused_submission_is_answered_with_its_code_and_pointer() {
        Traffic.Item wrongDigit = Traffic.mistakes().get(0);
        AgencyConnection.Answer a = exchange.agency(Country.US, "CBP").submit(wrongDigit.document());
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().path("code").asText()).isEqualTo("invalid_container_number");
        assertThat(a.json().path("problems").get(0).path("pointer").asText())
                .isEqualTo("/payload/equipment/0/containerNumber");
        Traffic.Item misrouted = Traffic.mistakes().get(1);
        AgencyConnection.Answer b = exchange.agency(Country.US, "CBP").submit(misrouted.document());
        assertThat(b.status()).isEqualTo(403);
        assertThat(b.json().path("code").asText()).isEqualTo("route_not_allowed");
    }

    @Test
    @Order(3)
    void after_shutdown_the_databases_hold_exactly_the_accepted_messages_and_the_refusals_as_audit_events()
            throws Exception {
        exchange.close();
        long usSent = SENT.values().stream().filter(i -> i.country() == Country.US).count();
        long mxSent = SENT.size() - usSent;
        try (Connection us = exchange.database(Country.US); Statement st = us.createStatement()) {
            assertThat(count(st, "SELECT COUNT(*) FROM outbox")).isEqualTo(usSent);
            assertThat(count(st, "SELECT COUNT(*) FROM inbox")).isEqualTo(mxSent);
            assertThat(count(st, "SELECT COUNT(*) FROM audit_event WHERE event = 'REJECTED'")).isEqualTo(2);
            assertThat(count(st, "SELECT COUNT(*) FROM audit_event WHERE event = 'REJECTED' AND error_code = 'invalid_container_number'"))
                    .isEqualTo(1);
            assertThat(count(st, "SELECT COUNT(*) FROM audit_event WHERE event = 'SUBMITTED'")).isEqualTo(usSent);
            assertThat(count(st, "SELECT COUNT(*) FROM audit_event WHERE event = 'RECEIPTED'")).isEqualTo(usSent);
        }
        try (Connection mx = exchange.database(Country.MX); Statement st = mx.createStatement()) {
            assertThat(count(st, "SELECT COUNT(*) FROM outbox")).isEqualTo(mxSent);
            assertThat(count(st, "SELECT COUNT(*) FROM inbox")).isEqualTo(usSent);
            assertThat(count(st, "SELECT COUNT(*) FROM audit_event WHERE event = 'STORED'")).isEqualTo(usSent);
            assertThat(count(st, "SELECT COUNT(*) FROM audit_event WHERE event = 'ACKNOWLEDGED'")).isEqualTo(usSent);
        }
    }

    static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
