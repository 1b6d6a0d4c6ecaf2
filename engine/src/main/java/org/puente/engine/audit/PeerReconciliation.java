package org.puente.engine.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.function.LongConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.audit.ReconciliationContent.Answer;
import org.puente.audit.ReconciliationContent.Report;
import org.puente.audit.ReconciliationContent.Tally;
import org.puente.engine.peer.PeerCall;
import org.puente.engine.peer.PeerClient;
import org.puente.engine.peer.PeerProtocol;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.audit.store.ReconciliationStore;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Lane;
import org.puente.engine.work.NewJob;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;

/**
 * The automatic daily reconciliation between the two gateways. Each side sends the other a signed
 * report of the day — every {@link ReconciliationList list} of what crossed the border: the
 * messages it SENT and STORED, the delivery notices it received (NOTICE_RECEIVED), what its
 * agencies ACKNOWLEDGED, the business answers given and received, each with its envelope digest —
 * and the other checks every one against its whole log (by message id, so a message stored just
 * after midnight still matches) and answers with a signed tally. Both sides write a
 * {@code RECONCILED} audit event and keep the signed report and answer as evidence
 * ({@link ReconciliationStore#reports}); any missing or mismatched message makes its outcome
 * {@code MISMATCH} and counts in {@code gateway.reconciliation.mismatches} on both sides, which the
 * alert watches.
 */
public final class PeerReconciliation {
    public static final String MISMATCH = "MISMATCH";
    /** Messages per signed report (all lists together): keeps a statement well under the verifier's 16 MiB limit. */
    static final int ITEMS_PER_PART = 20_000;
    /** The audit detail column's size. */
    private static final int MAX_DETAIL = 1000;

    private final Transactions tx;
    private final ReconciliationStore store;
    private final ReconciliationReports reports;
    private final AuditLog audit;
    private final StatementSigner signer;
    private final StatementVerifier verifier;
    private final SignerTrust peerTrust;
    private final PeerClient peer;
    private final String ownName;
    private final String peerName;
    private final Country country;
    private final Duration delay;
    private final Clock clock;
    private final LongConsumer mismatches;

    /** The outcome of reconciling one day from this side: the peer's tally of each list it checked. */
    public record Result(LocalDate day, Map<ReconciliationList, Tally> tallies) {
        public Result {
            tallies = Map.copyOf(tallies);
        }

        public Tally tally(ReconciliationList list) {
            return tallies.getOrDefault(list, Tally.empty());
        }

        public Tally sent() {
            return tally(ReconciliationList.SENT);
        }

        public Tally stored() {
            return tally(ReconciliationList.STORED);
        }

        public long problems() {
            return tallies.values().stream().mapToLong(Tally::problems).sum();
        }

        public boolean matched() {
            return problems() == 0;
        }
    }

    /**
     * How reports and answers are signed and the peer's are verified.
     *
     * @param signer    this gateway's key, which signs its reports and answers
     * @param verifier  checks the peer's
     * @param peerTrust the peer gateway's trust, which its statements must chain to
     */
    public record Statements(StatementSigner signer, StatementVerifier verifier, SignerTrust peerTrust) {
    }

    /**
     * @param delay      how long after midnight (UTC) yesterday is reconciled
     * @param mismatches counts the problems of each reconciliation (the metric the alert watches)
     */
    public PeerReconciliation(Transactions tx, AuditLog audit, Statements statements, PeerClient peer, Parties parties,
                              Duration delay, Clock clock, LongConsumer mismatches) {
        this.tx = tx;
        this.store = new ReconciliationStore();
        this.reports = new ReconciliationReports(tx, store);
        this.audit = audit;
        this.signer = statements.signer();
        this.verifier = statements.verifier();
        this.peerTrust = statements.peerTrust();
        this.peer = peer;
        this.ownName = parties.ownName();
        this.peerName = parties.peerName();
        this.country = parties.country();
        this.delay = delay;
        this.clock = clock;
        this.mismatches = mismatches;
    }

    /**
     * Queues the reconciliation of yesterday (UTC) once it is {@code delay} past midnight and no
     * instance has done it yet; the work queue runs it ({@link ReconciliationWorker}), once, on
     * whichever instance claims it, and retries it while the peer cannot answer.
     */
    public boolean enqueueIfDue(WorkQueue queue) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (now.isBefore(today.atStartOfDay(ZoneOffset.UTC).toInstant().plus(delay))) {
            return false;
        }
        LocalDate day = today.minusDays(1);
        return tx.write(c -> !store.done(c, day) && queue.enqueue(c, new NewJob(WorkKind.RECONCILIATION, day.toString(),
                Lane.BULK, 0, now, now.plus(java.time.Duration.ofDays(7))), now));
    }

    /** Whether a day's reconciliation is recorded (by any instance). */
    public boolean isDone(LocalDate day) {
        return tx.read(c -> store.done(c, day));
    }

    /** The signed reports and answers of a day kept on this side, both directions (the auditor API). */
    public List<ReconciliationStore.StoredReport> reports(LocalDate day) {
        return tx.read(c -> store.reports(c, day));
    }

    /**
     * Sends this side's report of {@code day} to the peer and records the peer's verdict, with the
     * signed report and answer of each part, in a unit of its own (tests; the daily job records
     * the verdict in the unit that closes it); nothing is recorded unless every part was answered.
     */
    public Result reconcile(LocalDate day) {
        Verdict verdict = ask(day);
        tx.write(verdict::record).run();
        return verdict.result();
    }

    /**
     * Sends this side's report of {@code day} to the peer, part by part, and checks each answer;
     * records nothing (the caller writes the {@link Verdict} in its own unit, the daily job's done
     * with it).
     */
    public Verdict ask(LocalDate day) {
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = from.plus(Duration.ofDays(1));
        Map<ReconciliationList, Tally> tallies = new EnumMap<>(ReconciliationList.class);
        List<ReconciliationStore.StoredReport> kept = new ArrayList<>();
        for (Report report : reports.build(ownName, country.name(), from, to, ITEMS_PER_PART)) {
            byte[] reportCms = signer.sign(StatementType.RECONCILIATION, CanonicalJson.bytes(report));
            byte[] answerCms = ask(reportCms);
            Answer answer = read(answerCms, Answer.class);
            if (answer.part() != report.part() || !report.from().equals(answer.from()) || !report.to().equals(answer.to())) {
                throw new PuenteException(ErrorCode.RECEIPT_MISMATCH, "the reconciliation answer is for another period or part");
            }
            long problems = 0;
            for (ReconciliationList l : ReconciliationList.values()) {
                Tally t = l.of(answer);
                if (t != null) {
                    tallies.merge(l, t, Tally::plus);
                    problems += t.problems();
                }
            }
            kept.add(new ReconciliationStore.StoredReport(day, report.part(), report.parts(), ReconciliationStore.SENT,
                    peerName, problems == 0 ? AuditEvent.OK : MISMATCH, clock.instant(), reportCms, answerCms));
        }
        return new Verdict(new Result(day, tallies), List.copyOf(kept));
    }

    /** The peer's answers on a day, checked and not yet recorded. */
    public final class Verdict {
        private final Result result;
        private final List<ReconciliationStore.StoredReport> kept;

        private Verdict(Result result, List<ReconciliationStore.StoredReport> kept) {
            this.result = result;
            this.kept = kept;
        }

        public Result result() {
            return result;
        }

        /**
         * Writes the RECONCILED event, the day as done (if it was not) and the signed reports and
         * answers in the unit of {@code c}; returns what runs once it is committed (the mismatch gauge).
         */
        public Runnable record(java.sql.Connection c) throws java.sql.SQLException {
            String outcome = result.matched() ? AuditEvent.OK : MISMATCH;
            String detail = "day " + result.day() + " reconciled with " + peerName + ": "
                    + describe("our", "by the peer", result.tallies());
            audit.append(c, AuditEvent.action(AuditEventType.RECONCILED, clock.instant(), ownName, null)
                    .withOutcome(outcome, null, detail));
            store.record(c, result.day(), outcome, clock.instant());
            for (ReconciliationStore.StoredReport r : kept) {
                store.keep(c, r);
            }
            long problems = result.problems();
            return () -> mismatches.accept(problems);
        }
    }

    private byte[] ask(byte[] reportCms) {
        PeerCall<PeerProtocol.ReconciliationAnswer> call = peer.reconcile(new PeerProtocol.Reconciliation(reportCms));
        if (call.kind() != PeerCall.Kind.ANSWERED) {
            throw new PuenteException(call.kind() == PeerCall.Kind.TRANSPORT_ERROR ? ErrorCode.PEER_UNREACHABLE
                    : ErrorCode.PEER_SERVER_ERROR, call.error().code() + " " + call.detail());
        }
        return call.answer().answer();
    }

    /**
     * Checks the peer's signed report against this side's whole log and answers with a signed
     * tally; the report and the answer are kept with the RECONCILED event.
     */
    public byte[] answer(byte[] reportCms) {
        Report report = read(reportCms, Report.class);
        if (country.name().equals(report.country())) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "a reconciliation report must come from the other country");
        }
        Map<ReconciliationList, Tally> tallies = reports.check(report);
        long problems = tallies.values().stream().mapToLong(Tally::problems).sum();
        String outcome = problems == 0 ? AuditEvent.OK : MISMATCH;
        String detail = "report of " + report.gateway() + " for " + report.from() + " to " + report.to() + " (part "
                + report.part() + "/" + report.parts() + "): " + describe("its", "here", tallies);
        byte[] answerCms = signer.sign(StatementType.RECONCILIATION, CanonicalJson.bytes(
                ReconciliationReports.answer(ownName, country.name(), report, tallies)));
        mismatches.accept(problems);
        LocalDate day = LocalDate.ofInstant(report.from(), ZoneOffset.UTC);
        tx.write(c -> {
            Instant now = clock.instant();
            audit.append(c, AuditEvent.action(AuditEventType.RECONCILED, now, peerName, null)
                    .withOutcome(outcome, null, detail));
            store.keep(c, new ReconciliationStore.StoredReport(day, report.part(), report.parts(),
                    ReconciliationStore.ANSWERED, peerName, outcome, now, reportCms, answerCms));
            return null;
        });
        return answerCms;
    }

    private <T> T read(byte[] cms, Class<T> type) {
        byte[] content = verifier.verify(cms, StatementType.RECONCILIATION, peerTrust).content();
        try {
            return CanonicalJson.read(content, type);
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the reconciliation statement is not a "
                    + type.getSimpleName().toLowerCase());
        }
    }

    /** The audit detail: every list checked, SENT and STORED first, cut to the detail column's size. */
    static String describe(String whose, String where, Map<ReconciliationList, Tally> tallies) {
        StringBuilder s = new StringBuilder();
        for (ReconciliationList l : ReconciliationList.values()) {
            Tally t = tallies.get(l);
            if (t != null) {
                s.append(s.isEmpty() ? "" : "; ").append(l.describe(whose, where, t));
            }
        }
        String out = s.isEmpty() ? "nothing checked" : s.toString();
        return out.length() > MAX_DETAIL - 200 ? out.substring(0, MAX_DETAIL - 200) : out;
    }
}
