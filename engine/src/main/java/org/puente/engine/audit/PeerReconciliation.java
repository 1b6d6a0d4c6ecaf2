package org.puente.engine.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.function.LongConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import org.puente.audit.ReconciliationContent.Digest;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Lane;
import org.puente.engine.work.NewJob;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;

/**
 * The automatic daily reconciliation between the two gateways. Each side sends the other a signed
 * report of the day — the messages it SENT and STORED, with their envelope digests — and the
 * other checks every one against its whole log (by message id, so a message stored just after
 * midnight still matches) and answers with a signed tally. Both sides write a {@code RECONCILED}
 * audit event; any missing or mismatched message makes its outcome {@code MISMATCH} and counts in
 * {@code gateway.reconciliation.mismatches} on both sides, which the alert watches.
 */
public final class PeerReconciliation {
    public static final String MISMATCH = "MISMATCH";
    /** Messages per signed report: keeps a statement well under the verifier's 16 MiB limit. */
    static final int ITEMS_PER_PART = 20_000;

    private final Transactions tx;
    private final ReconciliationStore store;
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

    /** The outcome of reconciling one day from this side. */
    public record Result(LocalDate day, Tally sent, Tally stored) {
        public boolean matched() {
            return sent.problems() == 0 && stored.problems() == 0;
        }
    }

    public PeerReconciliation(Transactions tx, ReconciliationStore store, AuditLog audit, StatementSigner signer,
                              StatementVerifier verifier, SignerTrust peerTrust, PeerClient peer, String ownName,
                              String peerName, Country country, Duration delay, Clock clock, LongConsumer mismatches) {
        this.tx = tx;
        this.store = store;
        this.audit = audit;
        this.signer = signer;
        this.verifier = verifier;
        this.peerTrust = peerTrust;
        this.peer = peer;
        this.ownName = ownName;
        this.peerName = peerName;
        this.country = country;
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

    /** Sends this side's report of {@code day} to the peer and records the peer's verdict. */
    public Result reconcile(LocalDate day) {
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = from.plus(Duration.ofDays(1));
        List<Digest> sent = tx.read(c -> store.between(c, AuditEventType.SENT, from, to));
        List<Digest> stored = tx.read(c -> store.between(c, AuditEventType.STORED, from, to));
        int total = sent.size() + stored.size();
        int parts = Math.max(1, (total + ITEMS_PER_PART - 1) / ITEMS_PER_PART);
        Tally sentTally = Tally.empty();
        Tally storedTally = Tally.empty();
        for (int part = 0; part < parts; part++) {
            int start = part * ITEMS_PER_PART;
            int end = Math.min(total, start + ITEMS_PER_PART);
            Report report = new Report(ownName, country.name(), from, to, part + 1, parts,
                    slice(sent, start, end, 0), slice(stored, start, end, sent.size()));
            Answer answer = ask(report);
            sentTally = sentTally.plus(answer.sent());
            storedTally = storedTally.plus(answer.stored());
        }
        Result result = new Result(day, sentTally, storedTally);
        String outcome = result.matched() ? AuditEvent.OK : MISMATCH;
        String detail = "day " + day + " reconciled with " + peerName + ": " + describe("our SENT", "stored by the peer",
                sentTally) + "; " + describe("our STORED", "sent by the peer", storedTally);
        mismatches.accept(sentTally.problems() + storedTally.problems());
        tx.write(c -> {
            audit.append(c, AuditEvent.action(AuditEventType.RECONCILED, clock.instant(), ownName, null)
                    .withOutcome(outcome, null, detail));
            store.record(c, day, outcome, clock.instant());
            return null;
        });
        return result;
    }

    private Answer ask(Report report) {
        byte[] cms = signer.sign(StatementType.RECONCILIATION, CanonicalJson.bytes(report));
        PeerCall<PeerProtocol.ReconciliationAnswer> call = peer.reconcile(new PeerProtocol.Reconciliation(cms));
        if (call.kind() != PeerCall.Kind.ANSWERED) {
            throw new PuenteException(call.kind() == PeerCall.Kind.TRANSPORT_ERROR ? ErrorCode.PEER_UNREACHABLE
                    : ErrorCode.PEER_SERVER_ERROR, call.error().code() + " " + call.detail());
        }
        Answer answer = read(call.answer().answer(), Answer.class);
        if (answer.part() != report.part() || !report.from().equals(answer.from()) || !report.to().equals(answer.to())) {
            throw new PuenteException(ErrorCode.RECEIPT_MISMATCH, "the reconciliation answer is for another period or part");
        }
        return answer;
    }

    /** Checks the peer's signed report against this side's whole log and answers with a signed tally. */
    public byte[] answer(byte[] reportCms) {
        Report report = read(reportCms, Report.class);
        if (country.name().equals(report.country())) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "a reconciliation report must come from the other country");
        }
        Tally sent = check(report.sent(), AuditEventType.STORED);
        Tally stored = check(report.stored(), AuditEventType.SENT);
        String outcome = sent.problems() + stored.problems() == 0 ? AuditEvent.OK : MISMATCH;
        String detail = "report of " + report.gateway() + " for " + report.from() + " to " + report.to() + " (part "
                + report.part() + "/" + report.parts() + "): " + describe("its SENT", "stored here", sent) + "; "
                + describe("its STORED", "sent from here", stored);
        mismatches.accept(sent.problems() + stored.problems());
        tx.write(c -> {
            audit.append(c, AuditEvent.action(AuditEventType.RECONCILED, clock.instant(), peerName, null)
                    .withOutcome(outcome, null, detail));
            return null;
        });
        Answer answer = new Answer(ownName, country.name(), report.from(), report.to(), report.part(), sent, stored);
        return signer.sign(StatementType.RECONCILIATION, CanonicalJson.bytes(answer));
    }

    private Tally check(List<Digest> theirs, AuditEventType ours) {
        List<UUID> ids = theirs.stream().map(Digest::messageId).toList();
        Map<UUID, String> mine = tx.read(c -> store.digests(c, ours, ids));
        long matched = 0;
        List<UUID> missing = new ArrayList<>();
        List<UUID> mismatched = new ArrayList<>();
        for (Digest d : theirs) {
            String here = mine.get(d.messageId());
            if (here == null) {
                missing.add(d.messageId());
            } else if (here.equalsIgnoreCase(String.valueOf(d.envelopeSha256()))) {
                matched++;
            } else {
                mismatched.add(d.messageId());
            }
        }
        return new Tally(theirs.size(), matched, missing.size(), mismatched.size(),
                missing.stream().limit(Tally.MAX_IDS).toList(), mismatched.stream().limit(Tally.MAX_IDS).toList());
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

    private static List<Digest> slice(List<Digest> list, int start, int end, int offset) {
        int from = Math.max(0, Math.min(list.size(), start - offset));
        int to = Math.max(0, Math.min(list.size(), end - offset));
        return List.copyOf(list.subList(from, to));
    }

    static String describe(String what, String where, Tally t) {
        String s = what + " " + t.checked() + ": " + t.matched() + " " + where + " with the same envelope digest, "
                + t.missing() + " missing, " + t.mismatched() + " mismatched";
        if (!t.missingIds().isEmpty()) {
            s += " (missing " + t.missingIds().stream().limit(3).map(UUID::toString).reduce((a, b) -> a + ", " + b).orElse("") + ")";
        }
        if (!t.mismatchedIds().isEmpty()) {
            s += " (mismatched " + t.mismatchedIds().stream().limit(3).map(UUID::toString).reduce((a, b) -> a + ", " + b)
                    .orElse("") + ")";
        }
        return s.length() > 480 ? s.substring(0, 480) : s;
    }
}
