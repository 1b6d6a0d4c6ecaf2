package org.puente.engine.audit;

import java.util.List;
import java.util.UUID;
import org.puente.audit.AuditEventType;
import org.puente.audit.ReconciliationContent.Answer;
import org.puente.audit.ReconciliationContent.Digest;
import org.puente.audit.ReconciliationContent.Report;
import org.puente.audit.ReconciliationContent.Tally;

/**
 * The lists of a daily reconciliation report: each is what the reporting side recorded of the
 * messages that crossed the border (one audit event), checked by the answering side against what
 * it must have recorded of the same messages (one or more events, by message id, whenever).
 */
public enum ReconciliationList {
    /** Our SENT: the peer must have STORED it. */
    SENT("SENT", "stored", AuditEventType.SENT, AuditEventType.STORED),
    /** Our STORED: the peer must have SENT it. */
    STORED("STORED", "sent", AuditEventType.STORED, AuditEventType.SENT),
    /** Our NOTICE_RECEIVED (the peer's signed delivery notice): its agency must have been DELIVERED it and ACKNOWLEDGED it. */
    NOTICED("NOTICE_RECEIVED", "delivered and acknowledged", AuditEventType.NOTICE_RECEIVED, AuditEventType.DELIVERED,
            AuditEventType.ACKNOWLEDGED),
    /** Our agencies' ACKNOWLEDGED: the peer must hold our delivery notice (NOTICE_RECEIVED). */
    ACKNOWLEDGED("ACKNOWLEDGED", "noticed", AuditEventType.ACKNOWLEDGED, AuditEventType.NOTICE_RECEIVED),
    /** Our agencies' ANSWER_GIVEN: the peer must have received it (ANSWER_RECEIVED). */
    ANSWERS_GIVEN("ANSWER_GIVEN", "received", AuditEventType.ANSWER_GIVEN, AuditEventType.ANSWER_RECEIVED),
    /** Our ANSWER_RECEIVED: the peer's agency must have given it (ANSWER_GIVEN). */
    ANSWERS_RECEIVED("ANSWER_RECEIVED", "given", AuditEventType.ANSWER_RECEIVED, AuditEventType.ANSWER_GIVEN);

    private final String label;
    private final String verb;
    private final AuditEventType recorded;
    private final List<AuditEventType> expected;

    ReconciliationList(String label, String verb, AuditEventType recorded, AuditEventType... expected) {
        this.label = label;
        this.verb = verb;
        this.recorded = recorded;
        this.expected = List.of(expected);
    }

    /** The event the reporting side lists. */
    public AuditEventType recorded() {
        return recorded;
    }

    /** The events the answering side must have for each listed message (all of them, same envelope digest). */
    public List<AuditEventType> expected() {
        return expected;
    }

    /** The list in a report; null when the report predates it. */
    List<Digest> of(Report r) {
        return switch (this) {
            case SENT -> r.sent();
            case STORED -> r.stored();
            case NOTICED -> r.noticed();
            case ACKNOWLEDGED -> r.acknowledged();
            case ANSWERS_GIVEN -> r.answersGiven();
            case ANSWERS_RECEIVED -> r.answersReceived();
        };
    }

    /** The answer's tally of the list; null when the answerer did not check it. */
    Tally of(Answer a) {
        return switch (this) {
            case SENT -> a.sent();
            case STORED -> a.stored();
            case NOTICED -> a.noticed();
            case ACKNOWLEDGED -> a.acknowledged();
            case ANSWERS_GIVEN -> a.answersGiven();
            case ANSWERS_RECEIVED -> a.answersReceived();
        };
    }

    /** One line of an audit detail: "our SENT 3: 3 stored by the peer, 0 missing, 0 mismatched (missing …)". */
    String describe(String whose, String where, Tally t) {
        String s = whose + " " + label + " " + t.checked() + ": " + t.matched() + " " + verb + " " + where + ", "
                + t.missing() + " missing, " + t.mismatched() + " mismatched";
        if (!t.missingIds().isEmpty()) {
            s += " (missing " + first(t.missingIds()) + ")";
        }
        if (!t.mismatchedIds().isEmpty()) {
            s += " (mismatched " + first(t.mismatchedIds()) + ")";
        }
        return s;
    }

    private static String first(List<UUID> ids) {
        return ids.stream().limit(3).map(UUID::toString).reduce((a, b) -> a + ", " + b).orElse("");
    }
}
