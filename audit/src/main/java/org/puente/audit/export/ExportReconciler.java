package org.puente.audit.export;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.audit.AuditEntry;
import org.puente.audit.AuditEventType;

/**
 * Bilateral reconciliation of two exports of the same period, one per country: what one side
 * SENT against what the other RECEIVED and STORED (same message id, same envelope digest), in
 * both directions, how many of the matched messages the receiving agency acknowledged, and the
 * receiving agencies' business answers: each ANSWER_GIVEN on the receiving side against an
 * ANSWER_RECEIVED on the sending side.
 *
 * <p>Implementation note: a message sent within {@code grace} of the end of the receiver's
 * period may have been stored just after it, and one stored within {@code grace} of the start of
 * the sender's period may have been sent just before it: such messages are reported as
 * <em>unsettled</em>, not missing, so two exports of the same day reconcile to zero.
 */
public final class ExportReconciler {
    private final Duration grace;

    public ExportReconciler(Duration grace) {
        this.grace = grace;
    }

    /** One message as one side's log records it. */
    private record Seen(String envelopeSha256, Instant at) {
    }

    /** Everything reconciliation needs from one export. */
    private static final class Side {
        final ExportFormat.Header header;
        final Map<UUID, Seen> sent = new HashMap<>();
        final Map<UUID, Seen> stored = new HashMap<>();
        final Set<UUID> acknowledged = new HashSet<>();
        final Map<UUID, Instant> answerGiven = new HashMap<>();
        final Map<UUID, Instant> answerReceived = new HashMap<>();
        final List<String> unreadable = new ArrayList<>();

        Side(ExportFile export) {
            this.header = export.header();
            export.entries(this::add, unreadable::add);
        }

        void add(AuditEntry e) {
            UUID id = e.event().messageId();
            if (id == null) {
                return;
            }
            AuditEventType t = e.event().event();
            if (t == AuditEventType.SENT) {
                sent.putIfAbsent(id, new Seen(e.event().envelopeSha256(), e.event().at()));
            } else if (t == AuditEventType.STORED) {
                stored.putIfAbsent(id, new Seen(e.event().envelopeSha256(), e.event().at()));
            } else if (t == AuditEventType.ACKNOWLEDGED) {
                acknowledged.add(id);
            } else if (t == AuditEventType.ANSWER_GIVEN) {
                answerGiven.putIfAbsent(id, e.event().at());
            } else if (t == AuditEventType.ANSWER_RECEIVED) {
                answerReceived.putIfAbsent(id, e.event().at());
            }
        }
    }

    /**
     * One direction, e.g. US to MX.
     *
     * @param matched           sent and stored with the same envelope digest
     * @param acknowledged      of the matched, how many the receiving agency acknowledged
     * @param missingAtReceiver sent, never stored by the other side
     * @param missingAtSender   stored by the other side, never sent by this one
     * @param mismatched        both sides have it, with different envelope digests
     * @param unsettled         at the edge of a period: not judged
     */
    public record Direction(String from, String to, long matched, long acknowledged, List<UUID> missingAtReceiver,
                            List<UUID> missingAtSender, List<UUID> mismatched, List<UUID> unsettled, Answers answers) {
        public boolean reconciled() {
            return missingAtReceiver.isEmpty() && missingAtSender.isEmpty() && mismatched.isEmpty() && answers.reconciled();
        }
    }

    /**
     * The receiving agency's business answers to the messages of one direction.
     *
     * @param matched              given on the receiving side and received on the sending side
     * @param missingAtSender      given on the receiving side, never received by the sender
     * @param missingAtReceiver    received by the sender, never given on the receiving side
     * @param unsettled            at the edge of a period: not judged
     */
    public record Answers(long matched, List<UUID> missingAtSender, List<UUID> missingAtReceiver, List<UUID> unsettled) {
        public boolean reconciled() {
            return missingAtSender.isEmpty() && missingAtReceiver.isEmpty();
        }
    }

    /** Both directions, and lines of either export that could not be read. */
    public record Result(Direction first, Direction second, List<String> unreadable) {
        public boolean reconciled() {
            return first.reconciled() && second.reconciled() && unreadable.isEmpty();
        }
    }

    public Result reconcile(ExportFile a, ExportFile b) {
        if (a.header().country().equals(b.header().country())) {
            throw new PuenteException(ErrorCode.INCONSISTENT_FIELDS, "both exports are from " + a.header().country()
                    + "; reconcile one export of each country");
        }
        Side one = new Side(a);
        Side two = new Side(b);
        List<String> unreadable = new ArrayList<>();
        one.unreadable.forEach(u -> unreadable.add(a.file().getFileName() + ": " + u));
        two.unreadable.forEach(u -> unreadable.add(b.file().getFileName() + ": " + u));
        return new Result(direction(one, two), direction(two, one), unreadable);
    }

    private Direction direction(Side sender, Side receiver) {
        long matched = 0;
        long acknowledged = 0;
        List<UUID> missingAtReceiver = new ArrayList<>();
        List<UUID> missingAtSender = new ArrayList<>();
        List<UUID> mismatched = new ArrayList<>();
        List<UUID> unsettled = new ArrayList<>();
        for (Map.Entry<UUID, Seen> s : sender.sent.entrySet()) {
            Seen stored = receiver.stored.get(s.getKey());
            if (stored == null) {
                (covers(receiver.header, s.getValue().at(), Duration.ZERO, grace) ? missingAtReceiver : unsettled).add(s.getKey());
            } else if (!String.valueOf(stored.envelopeSha256()).equalsIgnoreCase(String.valueOf(s.getValue().envelopeSha256()))) {
                mismatched.add(s.getKey());
            } else {
                matched++;
                if (receiver.acknowledged.contains(s.getKey())) {
                    acknowledged++;
                }
            }
        }
        for (Map.Entry<UUID, Seen> r : receiver.stored.entrySet()) {
            if (!sender.sent.containsKey(r.getKey())) {
                (covers(sender.header, r.getValue().at(), grace, Duration.ZERO) ? missingAtSender : unsettled).add(r.getKey());
            }
        }
        return new Direction(sender.header.country(), receiver.header.country(), matched, acknowledged,
                sorted(missingAtReceiver), sorted(missingAtSender), sorted(mismatched), sorted(unsettled),
                answers(sender, receiver));
    }

    /** An answer given near the end of the sender's period may arrive after it, one received near its start before. */
    private Answers answers(Side sender, Side receiver) {
        long matched = 0;
        List<UUID> missingAtSender = new ArrayList<>();
        List<UUID> missingAtReceiver = new ArrayList<>();
        List<UUID> unsettled = new ArrayList<>();
        for (Map.Entry<UUID, Instant> given : receiver.answerGiven.entrySet()) {
            if (sender.answerReceived.containsKey(given.getKey())) {
                matched++;
            } else {
                (covers(sender.header, given.getValue(), Duration.ZERO, grace) ? missingAtSender : unsettled).add(given.getKey());
            }
        }
        for (Map.Entry<UUID, Instant> received : sender.answerReceived.entrySet()) {
            if (!receiver.answerGiven.containsKey(received.getKey())) {
                (covers(receiver.header, received.getValue(), grace, Duration.ZERO) ? missingAtReceiver : unsettled)
                        .add(received.getKey());
            }
        }
        return new Answers(matched, sorted(missingAtSender), sorted(missingAtReceiver), sorted(unsettled));
    }

    /** Whether the export's period surely covers a moment, {@code early} after its start and {@code late} before its end. */
    private static boolean covers(ExportFormat.Header h, Instant at, Duration early, Duration late) {
        return !at.isBefore(h.from().plus(early)) && at.isBefore(h.to().minus(late));
    }

    private static List<UUID> sorted(List<UUID> ids) {
        return ids.stream().sorted().toList();
    }
}
