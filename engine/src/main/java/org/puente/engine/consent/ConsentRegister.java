package org.puente.engine.consent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.cooperation.Exchanged;
import org.puente.engine.cooperation.MessageRules;
import org.puente.engine.inbound.InboxStore;
import org.puente.engine.outbound.OutboxEntry;
import org.puente.engine.outbound.OutboxState;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.store.Transactions;
import org.puente.model.AgencyRef;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.model.validation.Problem;

/**
 * The consent register (CMAA: information received may not be passed on, or used for another
 * purpose, without the provider's prior written consent). Every {@code enforcement.disclosure-consent}
 * request and decision crossing this gateway is recorded against the message it is about, which
 * must have been exchanged between the two agencies (provider to holder) or the consent message is
 * refused ({@code unknown_original}). The holder asks the register whether it may pass a message to
 * a recipient for a purpose; the latest decision on that question answers, a denial after a grant
 * revokes it, a grant past its {@code validUntil} has lapsed. Every question and answer is audited.
 */
public final class ConsentRegister implements MessageRules {
    static final String TYPE = "enforcement.disclosure-consent";

    private final Transactions tx;
    private final InboxStore inbox;
    private final OutboxStore outbox;
    private final AuditLog audit;
    private final Clock clock;

    public ConsentRegister(Transactions tx, InboxStore inbox, OutboxStore outbox, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.inbox = inbox;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /** A question to the register: may the holder pass this message to this recipient for this purpose? */
    public record Question(UUID messageId, String recipientName, String purpose) {
    }

    /**
     * The register's answer.
     *
     * @param reason   {@code granted}, {@code no_grant}, {@code denied}, {@code revoked} or {@code expired}
     * @param decision the decision that answers, if any
     */
    public record Verdict(boolean allowed, String reason, Optional<Consent> decision) {
    }

    @Override
    public boolean concerns(String messageType) {
        return TYPE.equals(messageType);
    }

    @Override
    public Optional<Problem> refusal(Connection c, Exchanged m) throws SQLException {
        Consent k = read(m);
        boolean weProvided = m.sent() == Consent.DECISION.equals(k.kind());
        if (weProvided) {
            Optional<OutboxEntry> sent = outbox.find(c, k.originalMessageId())
                    .filter(e -> exchanged(e.header(), k));
            if (sent.isEmpty()) {
                return Optional.of(unknown(k));
            }
            OutboxState state = sent.get().state();
            if (m.sent() && state != OutboxState.RECEIPTED && state != OutboxState.DELIVERED) {
                // a decision may only follow the information to a holder that has stored it
                return Optional.of(Problem.error(ErrorCode.ORIGINAL_NOT_RECEIVED, "/payload/originalMessageId",
                        k.originalMessageId().toString(), state.name()));
            }
            return Optional.empty();
        }
        return inbox.header(c, k.originalMessageId()).filter(h -> exchanged(h, k)).isPresent() ? Optional.empty()
                : Optional.of(unknown(k));
    }

    private static boolean exchanged(EnvelopeHeader original, Consent k) {
        return original.sender().toString().equals(k.provider()) && original.receiver().toString().equals(k.holder());
    }

    private static Problem unknown(Consent k) {
        return Problem.error(ErrorCode.UNKNOWN_ORIGINAL, "/payload/originalMessageId", k.originalMessageId().toString(),
                k.provider(), k.holder());
    }

    @Override
    public void apply(Connection c, Exchanged m) throws SQLException {
        Consent k = read(m);
        String detail;
        if (Consent.REQUEST.equals(k.kind())) {
            detail = "request about " + k.originalMessageId() + " to " + k.recipientName();
        } else {
            boolean revokes = !k.grants() && ConsentRows.grantedBefore(c, k);
            detail = k.decision() + (revokes ? " (revokes the earlier grant)" : "") + " about " + k.originalMessageId()
                    + " to " + k.recipientName() + (k.validUntil() == null ? "" : " until " + k.validUntil());
        }
        ConsentRows.insert(c, k);
        audit.append(c, AuditEvent.of(Consent.REQUEST.equals(k.kind()) ? AuditEventType.CONSENT_REQUESTED
                : AuditEventType.CONSENT_DECIDED, m.header(), m.at(), m.by()).withOutcome(AuditEvent.OK, null, detail));
    }

    /**
     * Answers the holder agency's question from the register, audited before the answer leaves.
     *
     * @throws PuenteException {@code not_found} when the message is not one the agency received
     */
    public Verdict check(AgencyRef holder, String subject, Question q) {
        EnvelopeHeader original = tx.read(c -> inbox.header(c, q.messageId())).filter(x -> x.receiver().equals(holder))
                .orElseThrow(() -> new PuenteException(ErrorCode.NOT_FOUND, "message", q.messageId()));
        Instant now = clock.instant();
        return tx.write(c -> {
            Optional<Consent> d = ConsentRows.latestDecision(c, q.messageId(), q.recipientName(), q.purpose());
            Verdict v;
            if (d.isEmpty()) {
                v = new Verdict(false, "no_grant", d);
            } else if (!d.get().grants()) {
                v = new Verdict(false, ConsentRows.grantedBefore(c, d.get()) ? "revoked" : "denied", d);
            } else if (d.get().validUntil() != null && !now.isBefore(d.get().validUntil())) {
                v = new Verdict(false, "expired", d);
            } else {
                v = new Verdict(true, "granted", d);
            }
            audit.append(c, AuditEvent.of(AuditEventType.DISCLOSURE_CHECKED, original, now, subject)
                    .withOutcome(v.allowed() ? AuditEvent.OK : AuditEvent.REJECTED, null, v.reason() + ": to "
                            + q.recipientName().strip() + " for " + q.purpose().strip()
                            + d.map(x -> " (decision " + x.messageId() + ")").orElse("")));
            return v;
        });
    }

    /** The register's entries about a message the agency received (as holder) or sent (as provider), oldest first. */
    public List<Consent> about(AgencyRef agency, UUID messageId) {
        return tx.read(c -> {
            boolean holder = inbox.header(c, messageId).filter(x -> x.receiver().equals(agency)).isPresent();
            boolean provider = outbox.find(c, messageId).filter(x -> x.header().sender().equals(agency)).isPresent();
            if (!holder && !provider) {
                throw new PuenteException(ErrorCode.NOT_FOUND, "message", messageId);
            }
            return ConsentRows.about(c, messageId);
        });
    }

    private static Consent read(Exchanged m) {
        JsonNode p;
        try {
            p = CanonicalJson.mapper().readTree(m.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String kind = p.path("kind").asText();
        EnvelopeHeader h = m.header();
        boolean request = Consent.REQUEST.equals(kind);
        List<String> conditions = new ArrayList<>();
        p.path("conditions").forEach(x -> conditions.add(x.asText()));
        UUID original;
        try {
            original = UUID.fromString(p.path("originalMessageId").asText(""));
        } catch (IllegalArgumentException e) {
            original = new UUID(0, 0);
        }
        JsonNode r = p.path("onwardRecipient");
        return new Consent(h.messageId(), original, kind, (request ? h.receiver() : h.sender()).toString(),
                (request ? h.sender() : h.receiver()).toString(), r.path("name").asText().strip(),
                r.path("authorityType").asText(), p.path("purpose").asText().strip(),
                request ? null : p.path("decision").asText(null), List.copyOf(conditions),
                p.hasNonNull("validUntil") ? LocalDate.parse(p.get("validUntil").asText()).plusDays(1)
                        .atStartOfDay(ZoneOffset.UTC).toInstant() : null, h.createdAt());
    }
}
