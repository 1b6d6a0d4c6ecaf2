package org.puente.engine.cooperation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.puente.engine.testing.StoreFixtures.ANAM;
import static org.puente.engine.testing.StoreFixtures.CBP;
import static org.puente.engine.testing.StoreFixtures.T0;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.cases.AssistanceCases;
import org.puente.engine.cases.CaseCounts;
import org.puente.engine.cases.CaseDeadlineWorker;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.consent.ConsentRegister;
import org.puente.engine.inbound.InboundLedger;
import org.puente.engine.inbound.InboxEntry;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.outbound.OutboundLedger;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.outbound.StatusStore;
import org.puente.engine.security.ClientPrincipal;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.StoreFixtures;
import org.puente.engine.testing.TestClock;
import org.puente.engine.testing.TestDatabase;
import org.puente.engine.testing.TestPayloads;
import org.puente.engine.withdrawal.Withdrawals;
import org.puente.engine.work.Job;
import org.puente.engine.work.Lane;
import org.puente.engine.work.Outcome;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The SQL of assistance cases, the consent register and withdrawals on both databases the gateway
 * runs on (the through-the-gateways tests run on SQLite): what each writes is read back the same,
 * a deadline job marks only the deadline still in force, the latest decision answers.
 */
class CooperationStoresTest {
    private static final AgencyRef HSI = new AgencyRef(Country.US, "ICE-HSI");

    private final TestClock clock = new TestClock(T0);

    @OnBothDatabases
    void a_case_opens_becomes_overdue_at_its_deadline_and_closes_with_a_response(TestDatabase db) throws Exception {
        AuditLog audit = audit(db);
        WorkQueue queue = new WorkQueue(db.database().dialect());
        AssistanceCases cases = new AssistanceCases(db.tx(), queue, audit, clock);
        EnvelopeHeader request = header("enforcement.assistance-request", HSI, ANAM, T0);
        Instant confirmBy = T0.plus(Duration.ofHours(2)).plusMillis(123);
        byte[] payload = ("{\"requestReference\":\"HSI-1\",\"requestingAdministration\":{\"country\":\"US\",\"agency\":\"ICE-HSI\"},"
                + "\"requestedAdministration\":{\"country\":\"MX\",\"agency\":\"ANAM\"},\"urgency\":\"URGENT\","
                + "\"confirmationDeadline\":\"" + confirmBy.plusNanos(456_000) + "\",\"responseRequestedBy\":\"2026-12-10\"}")
                .getBytes(StandardCharsets.UTF_8);
        Exchanged sent = new Exchanged(request, payload, true, T0, "CN=HSI");
        db.tx().write(c -> {
            cases.apply(c, sent);
            return null;
        });
        UUID id = request.messageId();
        assertThat(cases.cases(HSI, true, 10)).singleElement().satisfies(k -> {
            assertThat(k.role()).isEqualTo("REQUESTING");
            assertThat(k.dueAt()).isEqualTo(confirmBy);
            assertThat(k.respondBy()).isEqualTo(Instant.parse("2026-12-11T00:00:00Z"));
        });
        assertThat(db.tx().read(cases::counts).of("REQUESTING")).isEqualTo(new CaseCounts.Count(1, 1, 0));

        // the deadline job runs: the case is overdue, once; a job for another deadline changes nothing
        clock.advance(Duration.ofHours(3));
        CaseDeadlineWorker worker = new CaseDeadlineWorker(audit, "gateway.us", clock);
        run(db, worker.perform(List.of(job(id + "@" + confirmBy.toEpochMilli()),
                job(id + "@" + confirmBy.plusSeconds(1).toEpochMilli()))));
        run(db, worker.perform(List.of(job(id + "@" + confirmBy.toEpochMilli()))));
        assertThat(cases.history(HSI, id).orElseThrow().events()).extracting(e -> e.event())
                .containsExactly("OPENED", "OVERDUE");
        assertThat(db.tx().read(cases::counts).of("REQUESTING").overdue()).isEqualTo(1);

        EnvelopeHeader response = header("enforcement.assistance-response", ANAM, HSI, clock.instant());
        byte[] answer = ("{\"requestMessageId\":\"" + id + "\",\"requestReference\":\"HSI-1\","
                + "\"respondingAdministration\":{\"country\":\"MX\",\"agency\":\"ANAM\"},"
                + "\"requestingAdministration\":{\"country\":\"US\",\"agency\":\"ICE-HSI\"},\"outcome\":\"FULFILLED\"}")
                .getBytes(StandardCharsets.UTF_8);
        Exchanged received = new Exchanged(response, answer, false, clock.instant(), "gateway.mx");
        Optional<org.puente.model.validation.Problem> before = db.tx().read(c -> cases.refusal(c, received));
        assertThat(before).isEmpty();
        db.tx().write(c -> {
            cases.apply(c, received);
            return null;
        });
        // the receiving side refuses no response its peer accepted for a case it has closed (see the stale deferral below)
        Optional<org.puente.model.validation.Problem> after = db.tx().read(c -> cases.refusal(c, received));
        assertThat(after).isEmpty();
        assertThat(cases.history(HSI, id).orElseThrow().kase().state()).isEqualTo("CLOSED");
        assertThat(cases.history(HSI, id).orElseThrow().events().get(2).detail()).isEqualTo("FULFILLED late");
        assertThat(db.tx().read(cases::counts).of("REQUESTING")).isEqualTo(new CaseCounts.Count(0, 0, 0));
        assertThat(cases.history(CBP, id)).isEmpty();

        // a deferral its own gateway accepted, overtaken on the link by the closing response: stored, the case unchanged
        EnvelopeHeader late = header("enforcement.assistance-response", ANAM, HSI, clock.instant());
        byte[] deferral = new String(answer, StandardCharsets.UTF_8).replace("\"FULFILLED\"",
                "\"DEFERRED\",\"reason\":\"archives\",\"deferredUntil\":\"2026-12-20\"").getBytes(StandardCharsets.UTF_8);
        Exchanged stale = new Exchanged(late, deferral, false, clock.instant(), "gateway.mx");
        Optional<org.puente.model.validation.Problem> staleRefusal = db.tx().read(c -> cases.refusal(c, stale));
        assertThat(staleRefusal).isEmpty();
        db.tx().write(c -> {
            cases.apply(c, stale);
            return null;
        });
        AssistanceCases.CaseHistory after2 = cases.history(HSI, id).orElseThrow();
        assertThat(after2.kase().state()).isEqualTo("CLOSED");
        assertThat(after2.events().get(3).detail()).endsWith("(came after the case was closed; the case is unchanged)");
        long deadlines = db.tx().read(c -> StoreFixtures.count(c, "SELECT COUNT(*) FROM work WHERE kind = 'CASE_DEADLINE'"));
        assertThat(deadlines).as("no deadline for a deferral that changed nothing").isEqualTo(1);
    }

    @OnBothDatabases
    void the_latest_decision_answers_and_a_denial_after_a_grant_revokes_it(TestDatabase db) {
        AuditLog audit = audit(db);
        InboxStore inbox = TestPayloads.inbox();
        OutboxStore outbox = TestPayloads.outbox();
        WorkQueue queue = new WorkQueue(db.database().dialect());
        InboundLedger ledger = new InboundLedger(inbox, queue, audit, Map.of(), "gateway.mx", "gateway.us");
        ConsentRegister register = new ConsentRegister(db.tx(), inbox, outbox, audit, clock);
        EnvelopeHeader info = header("enforcement.spontaneous-information", HSI, ANAM, T0);
        db.tx().write(c -> ledger.stored(c, StoreFixtures.inbound(info, "receipt"), T0));
        ConsentRegister.Question q = new ConsentRegister.Question(info.messageId(), " FGR ", "investigation");

        decide(db, register, info.messageId(), "GRANTED", T0.plusSeconds(1));
        assertThat(register.check(ANAM, "CN=ANAM", q).reason()).isEqualTo("granted");
        decide(db, register, info.messageId(), "DENIED", T0.plusSeconds(2));
        assertThat(register.check(ANAM, "CN=ANAM", q).reason()).isEqualTo("revoked");
        assertThat(register.about(ANAM, info.messageId())).extracting(k -> k.decision()).containsExactly("GRANTED", "DENIED");
        // decisions that cross the link out of order (an URGENT denial overtaking a NORMAL grant) are ordered
        // by when the provider's gateway accepted them, not by when they arrived
        EnvelopeHeader other = header("enforcement.spontaneous-information", HSI, ANAM, T0);
        db.tx().write(c -> ledger.stored(c, StoreFixtures.inbound(other, "receipt"), T0));
        decide(db, register, other.messageId(), "DENIED", T0.plusSeconds(20));
        decide(db, register, other.messageId(), "GRANTED", T0.plusSeconds(10));
        assertThat(register.check(ANAM, "CN=ANAM", new ConsentRegister.Question(other.messageId(), "FGR", "investigation"))
                .reason()).isEqualTo("revoked");
        assertThat(register.check(ANAM, "CN=ANAM", new ConsentRegister.Question(info.messageId(), "SAT", "investigation"))
                .reason()).isEqualTo("no_grant");
    }

    @OnBothDatabases
    void a_withdrawal_is_stored_once_and_a_received_one_shows_in_the_mailbox(TestDatabase db) {
        AuditLog audit = audit(db);
        OutboxStore outbox = TestPayloads.outbox();
        InboxStore inbox = TestPayloads.inbox();
        WorkQueue queue = new WorkQueue(db.database().dialect());
        OutboundLedger outLedger = new OutboundLedger(outbox, new StatusStore(), audit, "gateway.us", "gateway.mx");
        Withdrawals withdrawals = new Withdrawals(db.tx(), outbox, outLedger, queue, clock, () -> { });
        EnvelopeHeader sent = StoreFixtures.header(Priority.NORMAL, T0);
        EnvelopeHeader replacement = StoreFixtures.header(Priority.NORMAL, T0);
        db.tx().write(c -> {
            outLedger.accepted(c, StoreFixtures.outbound(sent, null), "CN=CBP", T0);
            outLedger.accepted(c, StoreFixtures.outbound(replacement, null), "CN=CBP", T0);
            return null;
        });
        ClientPrincipal cbp = new ClientPrincipal("cbp", ClientEntry.Role.AGENCY, Optional.of(CBP), "CN=CBP");
        Withdrawals.Withdrawn w = withdrawals.withdraw(cbp, sent.messageId(), "weights", Optional.of(replacement.messageId()));
        assertThat(w.kind()).isEqualTo("REPLACED");
        assertThat(withdrawals.withdraw(cbp, sent.messageId(), "weights", Optional.of(replacement.messageId())))
                .isEqualTo(w);
        PuenteException conflict = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> withdrawals.withdraw(cbp, sent.messageId(), "other", Optional.empty()), PuenteException.class);
        assertThat(conflict.errorCode()).isEqualTo(ErrorCode.WITHDRAWAL_CONFLICT);

        InboundLedger inLedger = new InboundLedger(inbox, queue, audit, Map.of(), "gateway.mx", "gateway.us");
        EnvelopeHeader received = StoreFixtures.header(Priority.NORMAL, T0);
        db.tx().write(c -> {
            inLedger.stored(c, StoreFixtures.inbound(received, "receipt"), T0);
            StoreFixtures.execute(c, "INSERT INTO message_withdrawal (message_id, direction, kind, reason, replacement_id,"
                    + " agency, at, withdrawn_by) VALUES (?,?,?,?,?,?,?,?)", received.messageId(), "RECEIVED", "CANCELLED",
                    "sent by mistake", null, "CBP", T0.plusSeconds(5), "gateway.us");
            return null;
        });
        InboxEntry e = db.tx().read(c -> inbox.find(c, received.messageId())).orElseThrow();
        assertThat(e.withdrawal()).isEqualTo(new InboxEntry.Withdrawal("CANCELLED", "sent by mistake", null, T0.plusSeconds(5)));
    }

    private void decide(TestDatabase db, ConsentRegister register, UUID original, String decision, Instant at) {
        EnvelopeHeader h = header("enforcement.disclosure-consent", HSI, ANAM, at);
        byte[] payload = ("{\"kind\":\"DECISION\",\"originalMessageId\":\"" + original + "\",\"onwardRecipient\":"
                + "{\"name\":\"FGR\",\"authorityType\":\"PROSECUTOR\"},\"purpose\":\"investigation\",\"decision\":\""
                + decision + "\"}").getBytes(StandardCharsets.UTF_8);
        Exchanged m = new Exchanged(h, payload, false, at, "gateway.us");
        Optional<org.puente.model.validation.Problem> refusal = db.tx().read(c -> register.refusal(c, m));
        assertThat(refusal).isEmpty();
        db.tx().write(c -> {
            register.apply(c, m);
            return null;
        });
    }

    private static AuditLog audit(TestDatabase db) {
        AuditLog audit = new AuditLog(Country.MX, db.database().dialect());
        db.tx().addParticipant(audit);
        return audit;
    }

    private static EnvelopeHeader header(String type, AgencyRef from, AgencyRef to, Instant at) {
        UUID id = UUID.randomUUID();
        return new EnvelopeHeader(id, id.toString(), type, "1.0", from, to, "CMAA-2000", "customs-offence-investigation",
                Sensitivity.LAW_ENFORCEMENT_SENSITIVE, "en", at, Duration.ofHours(24), Priority.NORMAL);
    }

    private static Job job(String ref) {
        return new Job(1, WorkKind.CASE_DEADLINE, ref, Lane.NORMAL, 0, 0, T0.plus(Duration.ofDays(365)), T0);
    }

    private static void run(TestDatabase db, List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            db.tx().write(c -> {
                o.record().write(c);
                return null;
            });
        }
    }
}
