package org.puente.engine.inbound;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.puente.engine.admission.AdmissionControl;
import org.puente.engine.cooperation.Exchanged;
import org.puente.engine.cooperation.MessageRules;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.peer.PeerProtocol;
import org.puente.engine.store.Digests;
import org.puente.engine.store.Transactions;
import org.puente.envelope.OpenedEnvelope;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.model.validation.MessageValidator;
import org.puente.model.validation.Problem;
import org.puente.model.validation.ValidationReport;

/**
 * Receives envelopes from the peer gateway: opens and verifies each, validates it against the
 * contract and the agreement's policy, stores it in the receiving agency's mailbox and answers
 * with a signed receipt only after the store has committed — a receipt is a promise of custody.
 * What fails is answered with a signed rejection (never retried by the peer), audited, and
 * leaves nothing in any mailbox. A duplicate gets the original receipt again, or, when the same
 * payload comes sealed again, a receipt naming the envelope it came in.
 */
public final class PeerReceiver {
    private final PeerEnvelopes envelopes;
    private final MessageValidator validator;
    private final MessageRules rules;
    private final org.puente.model.Country country;
    private final AdmissionControl admission;
    private final Transactions tx;
    private final InboxStore inbox;
    private final InboundLedger ledger;
    private final Clock clock;
    private final Runnable wakeHandOver;
    private final ExchangeObserver observer;

    /**
     * What a received message must pass besides its envelope.
     *
     * @param validator the contract
     * @param rules     the cooperation rules (assistance cases, consent)
     * @param country   this gateway's country: every receiver must be of it
     * @param admission the processing budget a batch of envelopes holds while it is opened,
     *                  validated and stored (the peer is answered 429 and sends again later)
     */
    public record Checks(MessageValidator validator, MessageRules rules, org.puente.model.Country country,
                         AdmissionControl admission) {
    }

    public PeerReceiver(PeerEnvelopes envelopes, Checks checks, Transactions tx, InboxStore inbox, InboundLedger ledger,
                        Clock clock, Runnable wakeHandOver, ExchangeObserver observer) {
        this.envelopes = envelopes;
        this.validator = checks.validator();
        this.rules = checks.rules();
        this.country = checks.country();
        this.admission = checks.admission();
        this.tx = tx;
        this.inbox = inbox;
        this.ledger = ledger;
        this.clock = clock;
        this.wakeHandOver = wakeHandOver;
        this.observer = observer;
    }

    /** What one envelope is found to be before anything is written. */
    private sealed interface Verdict permits Resent, Accepted, Refused {
    }

    /** The very envelope of a stored message, sent again: answered from the store. */
    private record Resent(InboxStore.Stored stored) implements Verdict {
    }

    /** Opened, verified and valid: to be stored and answered with {@code receipt}. */
    private record Accepted(OpenedEnvelope opened, byte[] receipt) implements Verdict {
    }

    /**
     * Refused with the signed rejection {@code answer}; {@code opened} is null when it could not be
     * opened. A refusal with a {@code receiptIfStored} (expired, or refused by the cooperation
     * rules: the envelope itself was sound) stands only if no message is stored under the id when
     * it is written: such a refusal must not reach a message the receiving agency already has, and
     * the writer knows that when it writes. That receipt names what arrived, for a re-sealed copy
     * ({@link #answerTo}).
     */
    private record Refused(PeerProtocol.EnvelopeItem item, OpenedEnvelope opened, byte[] answer, ErrorCode error,
                           String detail, byte[] receiptIfStored) implements Verdict {
    }

    /** What one envelope's unit of work answers, and what to tell the observer once it is on disk. */
    private record Answer(byte[] receipt, Runnable after, boolean stored) {
    }

    /**
     * Judges and stores a batch from the peer.
     *
     * @throws PuenteException {@code overloaded} when the batch's envelopes do not fit what is left
     *         of the processing budget now (nothing judged or stored; the peer sends it again)
     */
    public PeerProtocol.ResultBatch receive(PeerProtocol.EnvelopeBatch batch) {
        long bytes = batch.envelopes().stream().mapToLong(i -> i.envelope().length).sum();
        try (AdmissionControl.Ticket held = admission.hold(bytes)) {
            return judgeAndStore(batch);
        }
    }

    private PeerProtocol.ResultBatch judgeAndStore(PeerProtocol.EnvelopeBatch batch) {
        List<Optional<InboxStore.Stored>> stored = storedAlready(batch);
        List<Transactions.Work<Answer>> works = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            Verdict v = judge(batch.envelopes().get(i), stored.get(i));
            works.add(c -> write(c, v));
        }
        List<Transactions.Outcome<Answer>> outcomes = tx.writeAll(works);
        List<PeerProtocol.ResultItem> results = new ArrayList<>(outcomes.size());
        boolean storedAny = false;
        for (int i = 0; i < outcomes.size(); i++) {
            Transactions.Outcome<Answer> o = outcomes.get(i);
            if (o.failure() != null) {
                throw o.failure();
            }
            results.add(new PeerProtocol.ResultItem(batch.envelopes().get(i).header().messageId(), o.value().receipt()));
            o.value().after().run();
            storedAny |= o.value().stored();
        }
        if (storedAny) {
            wakeHandOver.run();
        }
        return new PeerProtocol.ResultBatch(results);
    }

    /** For each envelope, the message already stored under its id, if any: one read for the whole batch. */
    private List<Optional<InboxStore.Stored>> storedAlready(PeerProtocol.EnvelopeBatch batch) {
        return tx.read(c -> {
            List<Optional<InboxStore.Stored>> stored = new ArrayList<>(batch.envelopes().size());
            for (PeerProtocol.EnvelopeItem item : batch.envelopes()) {
                stored.add(inbox.stored(c, item.header().messageId()));
            }
            return stored;
        });
    }

    /**
     * What the envelope is. The very bytes a stored message arrived in (the peer's retry after an
     * answer it did not get) are answered with the original receipt without being opened, verified
     * or validated again: they were judged once, and judging them again can only cost time (a large
     * envelope's retry would take as long as the first attempt, and time out the same way). The
     * digest is computed only when a message is stored under the id; a new envelope is hashed once,
     * when it is opened.
     */
    private Verdict judge(PeerProtocol.EnvelopeItem item, Optional<InboxStore.Stored> stored) {
        if (stored.isPresent() && MessageDigest.isEqual(stored.get().envelopeSha256(), Digests.sha256(item.envelope()))) {
            return new Resent(stored.get());
        }
        EnvelopeHeader routing = item.header();
        OpenedEnvelope opened;
        try {
            opened = envelopes.open(item.envelope(), routing);
        } catch (PuenteException e) {
            return reject(item, null, e.errorCode(), e.sentence(Locale.ENGLISH));
        }
        EnvelopeHeader h = opened.header();
        if (h.receiver().country() != country) {
            return reject(item, opened, ErrorCode.ROUTE_NOT_ALLOWED,
                    ErrorCode.ROUTE_NOT_ALLOWED.sentence(Locale.ENGLISH, h.sender(), h.messageType(), h.receiver()));
        }
        if (!clock.instant().isBefore(h.expiresAt())) {
            return reject(item, opened, ErrorCode.MESSAGE_EXPIRED, ErrorCode.MESSAGE_EXPIRED.sentence(Locale.ENGLISH,
                    h.expiresAt()), true);
        }
        ValidationReport report = validator.validateMessage(h, opened.payload());
        if (report.hasErrors()) {
            Problem first = report.errors().get(0);
            return reject(item, opened, first.code(), first.pointer() + ": " + first.sentence(Locale.ENGLISH));
        }
        if (rules.concerns(h.messageType())) {
            Exchanged m = new Exchanged(h, opened.payload(), false, clock.instant(), ledger.peerName());
            Optional<Problem> refusal = tx.read(c -> rules.refusal(c, m));
            if (refusal.isPresent()) {
                Problem p = refusal.get();
                return reject(item, opened, p.code(), p.pointer() + ": " + p.sentence(Locale.ENGLISH), true);
            }
        }
        return new Accepted(opened, envelopes.receipt(opened));
    }

    private Answer write(Connection c, Verdict v) throws SQLException {
        if (v instanceof Resent r) {
            InboxStore.Stored same = r.stored();
            return resent(c, same.receipt(), same.header(), same.payloadSha256(), same.envelopeSha256());
        }
        if (v instanceof Accepted a) {
            return store(c, a);
        }
        Refused r = (Refused) v;
        Optional<InboxStore.Stored> stored = r.receiptIfStored() != null
                ? inbox.stored(c, r.item().header().messageId()) : Optional.empty();
        if (stored.isEmpty()) {
            return recordRejection(c, r);
        }
        // such a refusal comes after the envelope was opened: what arrived is known
        OpenedEnvelope o = r.opened();
        return resent(c, answerTo(stored.get(), o, r.receiptIfStored()), o.header(), o.payloadSha256(), o.envelopeSha256());
    }

    private Refused reject(PeerProtocol.EnvelopeItem item, OpenedEnvelope opened, ErrorCode code, String sentence) {
        return reject(item, opened, code, sentence, false);
    }

    private Refused reject(PeerProtocol.EnvelopeItem item, OpenedEnvelope opened, ErrorCode code, String sentence,
                           boolean unlessStored) {
        byte[] envelopeSha = opened != null ? opened.envelopeSha256() : Digests.sha256(item.envelope());
        byte[] answer = envelopes.rejection(item.header().messageId(), envelopeSha, code, sentence);
        return new Refused(item, opened, answer, code, sentence, unlessStored ? envelopes.receipt(opened) : null);
    }

    /**
     * What answers a message that arrived when one is stored under its id. The original receipt,
     * unless the same payload came in other bytes: a copy the sender sealed again (an operator's
     * re-drive of a message it had given up on), which it can only take as receipted by a receipt
     * naming the envelope it sent now; the payload that receipt vouches for is the one stored.
     */
    private static byte[] answerTo(InboxStore.Stored stored, OpenedEnvelope arrived, byte[] receiptForArrived) {
        boolean resealed = !MessageDigest.isEqual(stored.envelopeSha256(), arrived.envelopeSha256())
                && MessageDigest.isEqual(stored.payloadSha256(), arrived.payloadSha256());
        return resealed ? receiptForArrived : stored.receipt();
    }

    /** Stores an accepted message; a duplicate (stored meanwhile, or under other bytes) is answered as {@link #answerTo} says. */
    private Answer store(Connection c, Accepted a) throws SQLException {
        Instant now = clock.instant();
        OpenedEnvelope o = a.opened();
        EnvelopeHeader h = o.header();
        if (!ledger.stored(c, new InboxStore.NewMessage(h, o.payload(), o.payloadSha256(), o.envelopeSha256(), a.receipt()),
                now)) {
            byte[] answer = answerTo(inbox.stored(c, h.messageId()).orElseThrow(), o, a.receipt());
            return new Answer(answer, () -> observer.duplicate(h), false);
        }
        rules.apply(c, new Exchanged(h, o.payload(), false, now, ledger.peerName()));
        return new Answer(a.receipt(), () -> observer.stored(h), true);
    }

    /** Answers {@code arrived} (audited DUPLICATE with its digests) with {@code receipt}. */
    private Answer resent(Connection c, byte[] receipt, EnvelopeHeader arrived, byte[] payloadSha256,
                          byte[] envelopeSha256) throws SQLException {
        ledger.resent(c, arrived, payloadSha256, envelopeSha256, clock.instant());
        return new Answer(receipt, () -> observer.duplicate(arrived), false);
    }

    private Answer recordRejection(Connection c, Refused v) throws SQLException {
        Instant now = clock.instant();
        EnvelopeHeader h = v.opened() != null ? v.opened().header() : v.item().header();
        ledger.refused(c, h, v.opened() != null ? v.opened().payloadSha256() : null,
                v.opened() != null ? v.opened().envelopeSha256() : Digests.sha256(v.item().envelope()), v.error(), v.detail(),
                now);
        String type = h.messageType();
        ErrorCode code = v.error();
        return new Answer(v.answer(), () -> observer.refused(type, code), false);
    }
}
