package org.puente.engine.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.puente.audit.AuditEventType;
import org.puente.audit.ReconciliationContent.Answer;
import org.puente.audit.ReconciliationContent.Digest;
import org.puente.audit.ReconciliationContent.Report;
import org.puente.audit.ReconciliationContent.Tally;
import org.puente.audit.store.ReconciliationStore;
import org.puente.engine.store.Transactions;

/**
 * Both halves of the content of a daily reconciliation, read from this side's audit log: the
 * report of a period ({@link ReconciliationList every list}, cut into parts that stay bounded)
 * and the check of the peer's report, list by list, against this side's whole log.
 */
final class ReconciliationReports {
    private final Transactions tx;
    private final ReconciliationStore store;

    ReconciliationReports(Transactions tx, ReconciliationStore store) {
        this.tx = tx;
        this.store = store;
    }

    /** This side's report of {@code [from, to)}: at most {@code itemsPerPart} messages in all lists of a part. */
    List<Report> build(String gateway, String country, Instant from, Instant to, int itemsPerPart) {
        Map<ReconciliationList, List<Digest>> lists = new EnumMap<>(ReconciliationList.class);
        int total = 0;
        for (ReconciliationList l : ReconciliationList.values()) {
            List<Digest> d = tx.read(c -> store.between(c, l.recorded(), from, to));
            lists.put(l, d);
            total += d.size();
        }
        int parts = Math.max(1, (total + itemsPerPart - 1) / itemsPerPart);
        List<Report> reports = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            int start = part * itemsPerPart;
            int end = Math.min(total, start + itemsPerPart);
            Map<ReconciliationList, List<Digest>> slice = new EnumMap<>(ReconciliationList.class);
            int offset = 0;
            for (ReconciliationList l : ReconciliationList.values()) {
                List<Digest> d = lists.get(l);
                slice.put(l, slice(d, start, end, offset));
                offset += d.size();
            }
            reports.add(new Report(gateway, country, from, to, part + 1, parts, slice.get(ReconciliationList.SENT),
                    slice.get(ReconciliationList.STORED), slice.get(ReconciliationList.NOTICED),
                    slice.get(ReconciliationList.ACKNOWLEDGED), slice.get(ReconciliationList.ANSWERS_GIVEN),
                    slice.get(ReconciliationList.ANSWERS_RECEIVED)));
        }
        return reports;
    }

    /** The tally of each list of the peer's report; a list the report does not carry is not in the map. */
    Map<ReconciliationList, Tally> check(Report report) {
        Map<ReconciliationList, Tally> out = new EnumMap<>(ReconciliationList.class);
        for (ReconciliationList l : ReconciliationList.values()) {
            List<Digest> theirs = l.of(report);
            if (theirs != null) {
                out.put(l, check(theirs, l.expected()));
            }
        }
        return out;
    }

    /** The signed answer's content for a checked report. */
    static Answer answer(String gateway, String country, Report r, Map<ReconciliationList, Tally> t) {
        return new Answer(gateway, country, r.from(), r.to(), r.part(), t.get(ReconciliationList.SENT),
                t.get(ReconciliationList.STORED), t.get(ReconciliationList.NOTICED), t.get(ReconciliationList.ACKNOWLEDGED),
                t.get(ReconciliationList.ANSWERS_GIVEN), t.get(ReconciliationList.ANSWERS_RECEIVED));
    }

    /**
     * Each listed message must have every one of {@code ours}, with the same envelope digest where
     * both sides recorded one: missing when any is absent here, mismatched when a digest differs.
     */
    private Tally check(List<Digest> theirs, List<AuditEventType> ours) {
        List<UUID> ids = theirs.stream().map(Digest::messageId).toList();
        List<Map<UUID, String>> mine = new ArrayList<>();
        for (AuditEventType e : ours) {
            mine.add(tx.read(c -> store.digests(c, e, ids)));
        }
        long matched = 0;
        List<UUID> missing = new ArrayList<>();
        List<UUID> mismatched = new ArrayList<>();
        for (Digest d : theirs) {
            boolean absent = false;
            boolean differs = false;
            for (Map<UUID, String> m : mine) {
                if (!m.containsKey(d.messageId())) {
                    absent = true;
                } else {
                    String here = m.get(d.messageId());
                    differs |= here != null && d.envelopeSha256() != null && !here.equalsIgnoreCase(d.envelopeSha256());
                }
            }
            if (absent) {
                missing.add(d.messageId());
            } else if (differs) {
                mismatched.add(d.messageId());
            } else {
                matched++;
            }
        }
        return new Tally(theirs.size(), matched, missing.size(), mismatched.size(),
                missing.stream().limit(Tally.MAX_IDS).toList(), mismatched.stream().limit(Tally.MAX_IDS).toList());
    }

    private static List<Digest> slice(List<Digest> list, int start, int end, int offset) {
        int from = Math.max(0, Math.min(list.size(), start - offset));
        int to = Math.max(0, Math.min(list.size(), end - offset));
        return List.copyOf(list.subList(from, to));
    }
}
