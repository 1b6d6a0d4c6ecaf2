package org.puente.routes.exchange;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.puente.envelope.OpenedEnvelope;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.model.validation.MessageValidator;
import org.puente.model.validation.Problem;
import org.puente.model.validation.ValidationReport;
import org.puente.routes.peer.PeerProtocol;
import org.puente.routes.store.AuditEvent;
import org.puente.routes.store.AuditEventType;
import org.puente.routes.store.AuditLog;
import org.puente.routes.store.InboxStore;
import org.puente.routes.store.Transactions;

/**
 * Receives envelopes from the peer gateway: opens and verifies each, validates it against the
 * contract and the agreement's policy, stores it in the receiving agency's mailbox and answers
 * with a signed receipt only after the store has committed. What fails is answered with a signed
 * rejection (never retried by the peer), audited, and leaves nothing in any mailbox. A duplicate
 * gets the original receipt again.
 */
public final class PeerReceiver {
    private final PeerEnvelopes envelopes;
    private final MessageValidator validator;
    private final Transactions tx;
    private final InboxStore inbox;
    private final AuditLog audit;
    private final Clock clock;
    private final Runnable wakePush;
    private final ReceiveListener listener;

    /** Observes inbound outcomes (metrics). */
    public interface ReceiveListener {
        void stored(EnvelopeHeader h);

        void refused(String messageType, ErrorCode code);

        void duplicate(EnvelopeHeader h);
    }

    public PeerReceiver(PeerEnvelopes envelopes, MessageValidator validator, Transactions tx, InboxStore inbox,
                        AuditLog audit, Clock clock, Runnable wakePush, ReceiveListener listener) {
        this.envelopes = envelopes;
        this.validator = validator;
        this.tx = tx;
        this.inbox = inbox;
        this.audit = audit;
        this.clock = clock;
        this.wakePush = wakePush;
        this.listener = listener;
    }

    private record Verdict(PeerProtocol.EnvelopeItem item, OpenedEnvelope opened, byte[] answer,
                           ErrorCode error, String detail) {
    }

    public PeerProtocol.ResultBatch receive(PeerProtocol.EnvelopeBatch batch) {
        List<Verdict> verdicts = new ArrayList<>(batch.envelopes().size());
        for (PeerProtocol.EnvelopeItem item : batch.envelopes()) {
            verdicts.add(judge(item));
        }
        List<Transactions.Work<byte[]>> works = new ArrayList<>(verdicts.size());
        for (Verdict v : verdicts) {
            works.add(c -> v.error() == null ? store(c, v) : recordRejection(c, v));
        }
        List<Transactions.Outcome<byte[]>> outcomes = tx.writeAll(works);
        List<PeerProtocol.ResultItem> results = new ArrayList<>(verdicts.size());
        boolean storedAny = false;
        for (int i = 0; i < verdicts.size(); i++) {
            Transactions.Outcome<byte[]> o = outcomes.get(i);
            if (o.failure() != null) {
                throw o.failure();
            }
            Verdict v = verdicts.get(i);
            results.add(new PeerProtocol.ResultItem(v.item().header().messageId(), o.value()));
            storedAny |= v.error() == null;
        }
        if (storedAny) {
            wakePush.run();
        }
        return new PeerProtocol.ResultBatch(results);
    }

    private Verdict judge(PeerProtocol.EnvelopeItem item) {
        EnvelopeHeader routing = item.header();
        OpenedEnvelope opened;
        try {
            opened = envelopes.open(item.envelope(), routing);
        } catch (PuenteException e) {
            return reject(item, null, e.errorCode(), e.sentence(Locale.ENGLISH));
        }
        EnvelopeHeader h = opened.header();
        if (h.receiver().country() != audit.country()) {
            return reject(item, opened, ErrorCode.ROUTE_NOT_ALLOWED,
                    ErrorCode.ROUTE_NOT_ALLOWED.sentence(Locale.ENGLISH, h.sender(), h.messageType(), h.receiver()));
        }
        if (!clock.instant().isBefore(h.expiresAt())) {
            return reject(item, opened, ErrorCode.MESSAGE_EXPIRED, ErrorCode.MESSAGE_EXPIRED.sentence(Locale.ENGLISH, h.expiresAt()));
        }
        ValidationReport report = validator.validateMessage(h, opened.payload());
        if (report.hasErrors()) {
            Problem first = report.errors().get(0);
            return reject(item, opened, first.code(), first.pointer() + ": " + first.sentence(Locale.ENGLISH));
        }
        return new Verdict(item, opened, envelopes.receipt(opened), null, null);
    }

    private Verdict reject(PeerProtocol.EnvelopeItem item, OpenedEnvelope opened, ErrorCode code, String sentence) {
        byte[] envelopeSha = opened != null ? opened.envelopeSha256() : Digests.sha256(item.envelope());
        byte[] answer = envelopes.rejection(item.header().messageId(), envelopeSha, code, sentence);
        return new Verdict(item, opened, answer, code, sentence);
    }

    private byte[] store(Connection c, Verdict v) throws SQLException {
        Instant now = clock.instant();
        OpenedEnvelope o = v.opened();
        EnvelopeHeader h = o.header();
        boolean fresh = inbox.insert(c, new InboxStore.NewMessage(h, o.payload(), o.payloadSha256(), o.envelopeSha256(),
                v.answer()), now, now);
        if (!fresh) {
            Optional<byte[]> original = inbox.receiptOf(c, h.messageId());
            audit.append(c, AuditEvent.of(AuditEventType.DUPLICATE, h, now, envelopes.peerName())
                    .withDigests(o.payloadSha256(), o.envelopeSha256()));
            listener.duplicate(h);
            return original.orElseThrow();
        }
        audit.append(c, AuditEvent.of(AuditEventType.RECEIVED, h, now, envelopes.peerName())
                .withDigests(o.payloadSha256(), o.envelopeSha256()));
        audit.append(c, AuditEvent.of(AuditEventType.STORED, h, now, envelopes.ownName())
                .withDigests(o.payloadSha256(), o.envelopeSha256()));
        listener.stored(h);
        return v.answer();
    }

    private byte[] recordRejection(Connection c, Verdict v) throws SQLException {
        Instant now = clock.instant();
        EnvelopeHeader h = v.opened() != null ? v.opened().header() : v.item().header();
        AuditEvent e = AuditEvent.of(AuditEventType.PEER_REJECTED, h, now, envelopes.peerName())
                .withDigests(v.opened() != null ? v.opened().payloadSha256() : null,
                        v.opened() != null ? v.opened().envelopeSha256() : Digests.sha256(v.item().envelope()))
                .withOutcome(AuditEvent.REJECTED, v.error(), v.detail());
        audit.append(c, e);
        listener.refused(h.messageType(), v.error());
        return v.answer();
    }
}
