package org.puente.cli.audit.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEventType;
import org.puente.audit.ReconciliationContent.Answer;
import org.puente.audit.ReconciliationContent.Digest;
import org.puente.audit.ReconciliationContent.Report;
import org.puente.audit.ReconciliationContent.Tally;
import org.puente.envelope.statement.StatementType;
import org.puente.model.CanonicalJson;

/**
 * The daily reconciliation's signed exchanges in an evidence bundle: for each UTC day on which the
 * message crossed the border here (its SENT or STORED entry) and which the gateways reconciled,
 * each part's signed report and signed answer ({@code reconciliation/<day>.<sent|answered>.<part>.report.p7s}
 * and {@code .answer.p7s}). verify-evidence checks who signed each (our report and the peer's answer,
 * or the peer's report and ours) and that the answer names this message neither missing nor mismatched
 * in any list of the report that holds it: the other country confirmed, under its own key, what it has.
 *
 * <p>Implementation note: a day not yet reconciled simply has no files (the bundle can be made again
 * later); a part whose lists do not hold the message is checked for its signatures and reported as
 * not naming it.
 */
final class ReconciliationEvidence {
    static final String DIR = "reconciliation";

    private ReconciliationEvidence() {
    }

    /** Writes the kept exchanges of the message's border days; returns how many parts were written. */
    static int fetch(AuditorApi api, List<AuditEntry> entries, Path out) throws IOException, InterruptedException {
        TreeSet<LocalDate> days = new TreeSet<>();
        for (AuditEntry e : entries) {
            if (e.event().event() == AuditEventType.SENT || e.event().event() == AuditEventType.STORED) {
                days.add(LocalDate.ofInstant(e.event().at(), ZoneOffset.UTC));
            }
        }
        int written = 0;
        for (LocalDate day : days) {
            AuditorApi.Answer a = api.get("/audit/v1/reconciliations?day=" + day);
            if (!a.ok()) {
                continue;
            }
            for (JsonNode x : a.body().path("reports")) {
                if (!x.path("report").isTextual() || !x.path("answer").isTextual()) {
                    continue;
                }
                Files.createDirectories(out.resolve(DIR));
                String base = DIR + "/" + day + "." + x.path("direction").asText() + "." + x.path("part").asInt();
                Files.write(out.resolve(base + ".report.p7s"), Base64.getDecoder().decode(x.path("report").asText()));
                Files.write(out.resolve(base + ".answer.p7s"), Base64.getDecoder().decode(x.path("answer").asText()));
                written++;
            }
        }
        return written;
    }

    /** Checks every part in the bundle. */
    static void verify(Path dir, SignedEvidence signed, String messageId) throws EvidenceVerifier.Failure {
        Path folder = dir.resolve(DIR);
        if (!Files.isDirectory(folder)) {
            return;
        }
        List<String> bases = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (String name : s.map(p -> p.getFileName().toString()).sorted().toList()) {
                if (!name.matches("\\d{4}-\\d{2}-\\d{2}\\.(sent|answered)\\.\\d{1,6}\\.(report|answer)\\.p7s")) {
                    throw new EvidenceVerifier.Failure(DIR + "/" + name + ": not a reconciliation report or answer file");
                }
                if (name.endsWith(".report.p7s")) {
                    bases.add(DIR + "/" + name.substring(0, name.length() - ".report.p7s".length()));
                }
            }
        } catch (IOException e) {
            throw new EvidenceVerifier.Failure(DIR + ": cannot be read: " + e.getMessage());
        }
        for (String base : bases) {
            part(base, signed, UUID.fromString(messageId));
        }
    }

    private static void part(String base, SignedEvidence signed, UUID id) throws EvidenceVerifier.Failure {
        boolean ours = base.contains(".sent.");
        String reporter = ours ? signed.gateway() : signed.witness();
        String answerer = ours ? signed.witness() : signed.gateway();
        Report report = read(signed.statement(base + ".report.p7s", StatementType.RECONCILIATION,
                ours ? signed.own() : signed.peer(), reporter).content(), Report.class, base + ".report.p7s");
        Answer answer = read(signed.statement(base + ".answer.p7s", StatementType.RECONCILIATION,
                ours ? signed.peer() : signed.own(), answerer).content(), Answer.class, base + ".answer.p7s");
        if (answer.part() != report.part() || !report.from().equals(answer.from()) || !report.to().equals(answer.to())) {
            throw new EvidenceVerifier.Failure(base + ": the answer is for another period or part than the report");
        }
        List<String> confirmed = new ArrayList<>();
        for (Map.Entry<String, List<Digest>> list : lists(report).entrySet()) {
            if (list.getValue() == null || list.getValue().stream().noneMatch(d -> id.equals(d.messageId()))) {
                continue;
            }
            Tally t = tally(answer, list.getKey());
            if (t == null) {
                continue;
            }
            if (t.missingIds().contains(id) || t.mismatchedIds().contains(id)) {
                throw new EvidenceVerifier.Failure(base + ": " + answerer + " answered that message " + id + " of the "
                        + list.getKey() + " list is " + (t.missingIds().contains(id) ? "missing" : "mismatched") + " on its side");
            }
            if (t.missing() > t.missingIds().size() || t.mismatched() > t.mismatchedIds().size()) {
                throw new EvidenceVerifier.Failure(base + ": more problems in the " + list.getKey()
                        + " list than the answer names: it cannot confirm message " + id);
            }
            confirmed.add(list.getKey());
        }
        signed.out().printf("ok reconciliation %s: %s's report and %s's answer are signed (%s to %s, part %d)%s%n",
                base.substring(DIR.length() + 1), reporter, answerer, report.from(), report.to(), report.part(),
                confirmed.isEmpty() ? "; the report does not list this message"
                        : ": " + answerer + " confirmed this message in " + String.join(", ", confirmed));
    }

    private static Map<String, List<Digest>> lists(Report r) {
        Map<String, List<Digest>> m = new java.util.LinkedHashMap<>();
        m.put("sent", r.sent());
        m.put("stored", r.stored());
        m.put("noticed", r.noticed());
        m.put("acknowledged", r.acknowledged());
        m.put("answersGiven", r.answersGiven());
        m.put("answersReceived", r.answersReceived());
        return m;
    }

    private static Tally tally(Answer a, String list) {
        return switch (list) {
            case "sent" -> a.sent();
            case "stored" -> a.stored();
            case "noticed" -> a.noticed();
            case "acknowledged" -> a.acknowledged();
            case "answersGiven" -> a.answersGiven();
            default -> a.answersReceived();
        };
    }

    private static <T> T read(byte[] content, Class<T> type, String file) throws EvidenceVerifier.Failure {
        try {
            return CanonicalJson.read(content, type);
        } catch (RuntimeException e) {
            throw new EvidenceVerifier.Failure(file + ": its content is not a reconciliation " + type.getSimpleName().toLowerCase());
        }
    }
}
