package org.puente.routes.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.puente.audit.ReconciliationContent;
import org.puente.engine.audit.PeerReconciliation;
import org.puente.engine.audit.ReconciliationList;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.samples.SampleMessages;
import org.puente.routes.testing.AgencyClient;
import org.puente.routes.testing.GatewayHarness;
import org.puente.routes.testing.GatewayPair;
import org.puente.routes.testing.Poll;
import org.puente.routes.testing.ShiftedClock;

/**
 * The daily reconciliation run by its schedule, with two real gateways on one clock the test moves:
 * the due check queues yesterday once, the work queue runs it against the peer (retrying while the
 * peer cannot answer), both sides record it, and a day done is not done again. Then what it
 * matches beyond SENT and STORED — delivery notices against DELIVERED and ACKNOWLEDGED — and the
 * signed reports and answers both sides keep for auditors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduledReconciliationTest {
    @TempDir
    static Path dir;
    static final ShiftedClock clock = new ShiftedClock();
    static GatewayPair gateways;
    static GatewayHarness us;
    static GatewayHarness mx;
    static LocalDate day;
    static Instant midnight;
    static String acknowledged;
    static String deliveredOnly;

    @BeforeAll
    static void start() {
        // the tick stays out of the way: the test calls what it calls, the due check, itself
        gateways = GatewayPair.start(dir, Map.of("puente.audit.reconcile.check-interval", "PT6H"), clock);
        us = gateways.us;
        mx = gateways.mx;
        day = LocalDate.now(clock);
        midnight = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        AgencyClient cbp = gateways.agencyClient(us, "agency-cbp");
        AgencyClient anam = gateways.agencyClient(mx, "agency-anam");
        acknowledged = send(cbp, anam);
        assertThat(anam.post("/api/v1/inbox/" + acknowledged + "/ack", new byte[0]).statusCode()).isEqualTo(200);
        deliveredOnly = send(cbp, anam);
        waitFor(us, acknowledged, "NOTICE_RECEIVED");
        waitFor(mx, acknowledged, "NOTICE_SENT");
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
    }

    @Test
    @Order(1)
    void yesterday_is_queued_once_when_due_retried_while_the_peer_is_down_recorded_on_both_sides_and_never_redone()
            throws Exception {
        clock.set(midnight.plus(Duration.ofMinutes(59)));
        assertThat(us.gateway().enqueueReconciliationIfDue()).as("before midnight + the delay").isFalse();
        assertThat(jobs(us)).isZero();

        mx.context().getRouteController().stopRoute("peer-reconciliation");
        clock.set(midnight.plus(Duration.ofMinutes(61)));
        assertThat(us.gateway().enqueueReconciliationIfDue()).isTrue();
        assertThat(us.gateway().enqueueReconciliationIfDue()).as("a second tick").isFalse();
        assertThat(us.count("SELECT COUNT(*) FROM work WHERE kind = 'RECONCILIATION' AND ref = ?", day.toString()))
                .isEqualTo(1);

        assertThat(Poll.until(Duration.ofSeconds(40), () -> us.count("SELECT COUNT(*) FROM work WHERE kind = 'RECONCILIATION'"
                + " AND last_error_code IS NOT NULL") == 1 ? Optional.of(true) : Optional.empty())).isPresent();
        assertThat(us.gateway().audit().reconciliation().isDone(day)).isFalse();
        assertThat(reconciled(us)).isZero();

        mx.context().getRouteController().startRoute("peer-reconciliation");
        clock.advance(Duration.ofMinutes(2));
        assertThat(Poll.until(Duration.ofSeconds(40), () -> us.gateway().audit().reconciliation().isDone(day)
                ? Optional.of(true) : Optional.empty())).as("retried once the backoff passed").isPresent();
        // the day is recorded in the unit that closes the job: no instant shows one without the other
        assertThat(jobs(us)).as("the job closed with its day recorded").isZero();
        assertThat(reconciled(us)).isEqualTo(1);
        // the report of the failed attempt may still reach MX once its route is back (the request
        // waited for it): MX then answered it too, so it holds one answer or two
        assertThat(reconciled(mx)).as("the answering side").isBetween(1L, 2L);
        String detail = detail(us, "gateway.us.puente.sample");
        assertThat(detail).contains("day " + day, "our SENT 2: 2 stored by the peer, 0 missing",
                "our NOTICE_RECEIVED 1: 1 delivered and acknowledged by the peer, 0 missing");
        assertThat(mismatches(us)).isZero();
        assertThat(mismatches(mx)).isZero();

        clock.advance(Duration.ofHours(1));
        assertThat(us.gateway().enqueueReconciliationIfDue()).as("a day done is not queued again").isFalse();
        assertThat(jobs(us)).isZero();
    }

    @Test
    @Order(2)
    void the_receiving_side_reconciles_its_acknowledgements_against_the_senders_delivery_notices() {
        assertThat(mx.gateway().enqueueReconciliationIfDue()).isTrue();
        assertThat(Poll.until(Duration.ofSeconds(40), () -> mx.gateway().audit().reconciliation().isDone(day)
                ? Optional.of(true) : Optional.empty())).isPresent();

        // the message handed over but not acknowledged has no notice on either side: nothing is missing
        assertThat(detail(mx, "gateway.mx.puente.sample")).contains("our STORED 2: 2 sent by the peer, 0 missing",
                "our ACKNOWLEDGED 1: 1 noticed by the peer, 0 missing");
        assertThat(mismatches(mx)).isZero();
        assertThat(mismatches(us)).isZero();
    }

    @Test
    @Order(3)
    void a_notice_whose_delivered_entry_is_gone_at_the_receiver_is_a_mismatch_counted_on_both_sides() {
        mx.execute("DROP TRIGGER audit_event_no_delete");
        assertThat(mx.execute("DELETE FROM audit_event WHERE event = 'DELIVERED' AND message_id = ?", acknowledged))
                .isEqualTo(1);

        PeerReconciliation.Result r = us.gateway().audit().reconciliation().reconcile(day);

        assertThat(r.matched()).isFalse();
        assertThat(r.tally(ReconciliationList.NOTICED).missingIds()).containsExactly(UUID.fromString(acknowledged));
        assertThat(r.sent().matched()).isEqualTo(2);
        assertThat(mismatches(us)).isEqualTo(1.0);
        assertThat(mismatches(mx)).isEqualTo(1.0);
    }

    @Test
    @Order(4)
    void auditors_get_the_signed_reports_and_answers_of_a_day_and_they_verify_against_the_peers_trust() {
        JsonNode atUs = json(auditor(us).get("/audit/v1/reconciliations?day=" + day).body());
        assertThat(atUs.get("day").asText()).isEqualTo(day.toString());
        List<JsonNode> reports = new ArrayList<>();
        atUs.get("reports").forEach(reports::add);
        assertThat(reports).extracting(n -> n.get("direction").asText() + " " + n.get("outcome").asText())
                .containsExactly("sent OK", "answered OK", "sent MISMATCH");
        JsonNode last = reports.get(2);
        StatementVerifier verifier = new StatementVerifier(AlgorithmProfile.DEFAULT);
        byte[] answer = verifier.verify(base64(last, "answer"), StatementType.RECONCILIATION,
                us.gateway().security().peerTrust()).content();
        byte[] report = verifier.verify(base64(last, "report"), StatementType.RECONCILIATION,
                mx.gateway().security().peerTrust()).content();
        ReconciliationContent.Answer a = CanonicalJson.read(answer, ReconciliationContent.Answer.class);
        assertThat(a.gateway()).isEqualTo("gateway.mx.puente.sample");
        assertThat(a.noticed().missingIds()).containsExactly(UUID.fromString(acknowledged));
        ReconciliationContent.Report rep = CanonicalJson.read(report, ReconciliationContent.Report.class);
        assertThat(rep.sent()).hasSize(2);
        assertThat(rep.noticed()).extracting(ReconciliationContent.Digest::messageId)
                .containsExactly(UUID.fromString(acknowledged));

        JsonNode atMx = json(auditor(mx).get("/audit/v1/reconciliations?day=" + day).body());
        List<String> mxReports = new ArrayList<>();
        atMx.get("reports").forEach(n -> mxReports.add(n.get("direction").asText() + " " + n.get("outcome").asText()));
        assertThat(mxReports).contains("answered OK", "sent OK").endsWith("answered MISMATCH");
        assertThat(base64(atMx.get("reports").get(mxReports.size() - 1), "answer")).as("the answer MX gave is the one US keeps")
                .isEqualTo(base64(last, "answer"));

        HttpResponse<byte[]> refused = AgencyClient.sample(gateways.pki, Country.US, "operator", us.ports().ops())
                .get("/audit/v1/reconciliations?day=" + day);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused.body()).get("code").asText()).isEqualTo("forbidden");
        HttpResponse<byte[]> malformed = auditor(us).get("/audit/v1/reconciliations?day=yesterday");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed.body()).get("code").asText()).isEqualTo("invalid_format");
    }

    private static String send(AgencyClient from, AgencyClient to) {
        byte[] document = SampleMessages.named("cargo.manifest.us-to-mx.json").orElseThrow().bytes();
        HttpResponse<byte[]> accepted = from.post("/api/v1/messages", document);
        assertThat(accepted.statusCode()).as(new String(accepted.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        String id = json(accepted.body()).get("messageId").asText();
        assertThat(Poll.until(Duration.ofSeconds(20), () -> to.get("/api/v1/inbox/" + id + "/payload").statusCode() == 200
                ? Optional.of(true) : Optional.empty())).isPresent();
        return id;
    }

    @Test
    @Order(5)
    void asking_the_peer_records_nothing_until_its_verdict_is_written_in_a_unit() {
        LocalDate earlier = day.minusDays(3);
        PeerReconciliation reconciliation = us.gateway().audit().reconciliation();
        long events = reconciled(us);

        PeerReconciliation.Verdict verdict = reconciliation.ask(earlier);

        assertThat(reconciliation.isDone(earlier)).as("asked, not recorded").isFalse();
        assertThat(reconciled(us)).isEqualTo(events);
        us.gateway().transactions().write(verdict::record).run();
        assertThat(reconciliation.isDone(earlier)).isTrue();
        assertThat(reconciled(us)).isEqualTo(events + 1);
        assertThat(verdict.result().matched()).isTrue();
    }

    private static void waitFor(GatewayHarness g, String id, String event) {
        assertThat(Poll.until(Duration.ofSeconds(20), () -> g.count("SELECT COUNT(*) FROM audit_event WHERE event = ?"
                + " AND message_id = ?", event, id) > 0 ? Optional.of(true) : Optional.empty())).as(event).isPresent();
    }

    private static long jobs(GatewayHarness g) {
        return g.count("SELECT COUNT(*) FROM work WHERE kind = 'RECONCILIATION'");
    }

    private static long reconciled(GatewayHarness g) {
        return g.count("SELECT COUNT(*) FROM audit_event WHERE event = 'RECONCILED'");
    }

    private static String detail(GatewayHarness g, String actor) {
        List<JsonNode> entries = new ArrayList<>();
        json(auditor(g).get("/audit/v1/events?event=RECONCILED").body()).get("entries").forEach(entries::add);
        return entries.stream().filter(e -> e.get("actor").asText().equals(actor)).reduce((a, b) -> b)
                .map(e -> e.get("outcome").asText() + " " + e.get("detail").asText()).orElse("");
    }

    private static AgencyClient auditor(GatewayHarness g) {
        return AgencyClient.sample(gateways.pki, g.country(), "auditor", g.ports().ops());
    }

    private static double mismatches(GatewayHarness g) {
        MeterRegistry registry = g.context().getRegistry().lookupByNameAndType("prometheusMeterRegistry", MeterRegistry.class);
        return registry.get("gateway.reconciliation.mismatches").counter().count();
    }

    private static byte[] base64(JsonNode n, String field) {
        return Base64.getDecoder().decode(n.get(field).asText());
    }

    private static JsonNode json(byte[] body) {
        try {
            return CanonicalJson.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(new String(body, StandardCharsets.UTF_8), e);
        }
    }
}
