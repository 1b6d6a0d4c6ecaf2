package org.puente.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the gateways sign when they reconcile a day over the peer link (StatementType
 * RECONCILIATION, canonical JSON): each side's list of what it sent and stored, and the other
 * side's verdict on it.
 */
public final class ReconciliationContent {
    private ReconciliationContent() {
    }

    /**
     * One message of a period, as a report lists it and the reconciliation store reads it: its id
     * and the SHA-256 of its envelope (lower-case hex).
     */
    public record Digest(UUID messageId, String envelopeSha256) {
    }

    /**
     * One side's period, or one part of it when it is long. The lists after {@code stored} came
     * later: a report without them (null) lists SENT and STORED only.
     *
     * @param sent            messages it sent to the peer in the period (SENT), with their envelope digests
     * @param stored          messages it received from the peer and stored in the period (STORED)
     * @param noticed         messages of its own whose signed delivery notice it recorded in the period (NOTICE_RECEIVED)
     * @param acknowledged    messages of the peer its agencies acknowledged in the period (ACKNOWLEDGED)
     * @param answersGiven    messages of the peer its agencies answered in the period (ANSWER_GIVEN)
     * @param answersReceived messages of its own whose business answer it received in the period (ANSWER_RECEIVED)
     */
    public record Report(String gateway, String country, Instant from, Instant to, int part, int parts, List<Digest> sent,
                         List<Digest> stored, List<Digest> noticed, List<Digest> acknowledged, List<Digest> answersGiven,
                         List<Digest> answersReceived) {
        /** A report of SENT and STORED only, as before the other lists existed. */
        public Report(String gateway, String country, Instant from, Instant to, int part, int parts, List<Digest> sent,
                      List<Digest> stored) {
            this(gateway, country, from, to, part, parts, sent, stored, null, null, null, null);
        }
    }

    /**
     * The checking side's verdict on a list: how many of the messages it has with the same
     * envelope digest, how many it does not have, how many it has with another digest (and the
     * first ids of each, at most {@link #MAX_IDS}).
     */
    public record Tally(long checked, long matched, long missing, long mismatched, List<UUID> missingIds,
                        List<UUID> mismatchedIds) {
        public static final int MAX_IDS = 100;

        public long problems() {
            return missing + mismatched;
        }

        public Tally plus(Tally o) {
            return new Tally(checked + o.checked, matched + o.matched, missing + o.missing, mismatched + o.mismatched,
                    first(missingIds, o.missingIds), first(mismatchedIds, o.mismatchedIds));
        }

        public static Tally empty() {
            return new Tally(0, 0, 0, 0, List.of(), List.of());
        }

        private static List<UUID> first(List<UUID> a, List<UUID> b) {
            return java.util.stream.Stream.concat(a.stream(), b.stream()).limit(MAX_IDS).toList();
        }
    }

    /**
     * The answer to a report; a tally is null when the report had no such list (or the answerer
     * did not check it).
     *
     * @param sent            the reporter's SENT messages checked against the answerer's STORED ones (missing: never stored here)
     * @param stored          the reporter's STORED messages checked against the answerer's SENT ones (missing: never sent from here)
     * @param noticed         the reporter's NOTICE_RECEIVED checked against the answerer's DELIVERED and ACKNOWLEDGED
     *                        (missing: either is not recorded here)
     * @param acknowledged    the reporter's ACKNOWLEDGED checked against the answerer's NOTICE_RECEIVED
     *                        (missing: no delivery notice recorded here)
     * @param answersGiven    the reporter's ANSWER_GIVEN checked against the answerer's ANSWER_RECEIVED
     * @param answersReceived the reporter's ANSWER_RECEIVED checked against the answerer's ANSWER_GIVEN
     */
    public record Answer(String gateway, String country, Instant from, Instant to, int part, Tally sent, Tally stored,
                         Tally noticed, Tally acknowledged, Tally answersGiven, Tally answersReceived) {
        /** An answer to SENT and STORED only, as before the other lists existed. */
        public Answer(String gateway, String country, Instant from, Instant to, int part, Tally sent, Tally stored) {
            this(gateway, country, from, to, part, sent, stored, null, null, null, null);
        }
    }
}
