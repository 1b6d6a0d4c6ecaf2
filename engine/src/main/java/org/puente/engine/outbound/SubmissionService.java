package org.puente.engine.outbound;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.audit.AuditEvent;
import org.puente.audit.AuditEventType;
import org.puente.engine.admission.AdmissionControl;
import org.puente.engine.api.RejectedSubmission;
import org.puente.engine.audit.AuditLog;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.cooperation.Exchanged;
import org.puente.engine.cooperation.MessageRules;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.peer.PeerEnvelopes;
import org.puente.engine.security.ClientPrincipal;
import org.puente.engine.store.Digests;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Lane;
import org.puente.engine.work.NewJob;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.envelope.SealedEnvelope;
import org.puente.model.EnvelopeHeader;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.model.submission.Submission;
import org.puente.model.validation.MessageValidator;
import org.puente.model.validation.Problem;
import org.puente.model.validation.SubmissionCheck;

/**
 * The one submission pipeline behind every agency door (REST, SOAP, drop folder): authorize,
 * validate, seal, then in one durable unit of work store the message, its status and audit
 * events and its job for the peer (transactional enqueue). The caller is answered only after
 * that unit is on disk. Nothing is stored for a refused submission but its audit event.
 */
public final class SubmissionService {
    private final MessageValidator validator;
    private final MessageCatalogue catalogue;
    private final Transactions tx;
    private final OutboxStore outbox;
    private final OutboundLedger ledger;
    private final WorkQueue queue;
    private final AuditLog audit;
    private final AdmissionControl admission;
    private final PeerEnvelopes envelopes;
    private final Runnable wakeDispatch;
    private final Clock clock;
    private final ExchangeObserver observer;
    private final MessageRules rules;

    /** What a submission needs besides its input. */
    public record Parts(MessageValidator validator, Transactions tx, OutboxStore outbox, OutboundLedger ledger,
                        WorkQueue queue, AuditLog audit, AdmissionControl admission, PeerEnvelopes envelopes) {
    }

    public SubmissionService(Parts parts, MessageRules rules, Runnable wakeDispatch, Clock clock, ExchangeObserver observer) {
        this.rules = rules;
        this.validator = parts.validator();
        this.catalogue = parts.validator().catalogue();
        this.tx = parts.tx();
        this.outbox = parts.outbox();
        this.ledger = parts.ledger();
        this.queue = parts.queue();
        this.audit = parts.audit();
        this.admission = parts.admission();
        this.envelopes = parts.envelopes();
        this.wakeDispatch = wakeDispatch;
        this.clock = clock;
        this.observer = observer;
    }

    /**
     * The answer to an accepted submission. {@code replayed}: an idempotent retry found the earlier
     * message; {@code warnings}: what the validation found that does not refuse it (e.g. a deprecated
     * schema version).
     */
    public record Accepted(UUID messageId, boolean replayed, List<Problem> warnings) {
        public Accepted(UUID messageId, boolean replayed) {
            this(messageId, replayed, List.of());
        }
    }

    /** One item of a batch submission. */
    public record Item(byte[] document, String idempotencyKey) {
    }

    /** The outcome of one batch item: accepted, or refused with its failure. */
    public record ItemResult(Accepted accepted, PuenteException failure) {
    }

    /** Accepts one submission document from an agency, or throws the reason it cannot. */
    public Accepted submit(ClientPrincipal caller, byte[] document, String idempotencyKey) {
        Prepared p = prepare(caller, document, idempotencyKey);
        Accepted a;
        try (AdmissionControl.Ticket held = p.ticket()) {
            a = tx.write(c -> store(c, p));
        } catch (RejectedSubmission r) {
            throw audited(caller, p.header().messageType(), r);
        }
        afterAccept(p, a);
        return a;
    }

    /** Accepts a batch: each item is validated and stored on its own, all in one durable group. */
    public List<ItemResult> submitBatch(ClientPrincipal caller, List<Item> items) {
        List<ItemResult> results = new ArrayList<>(Arrays.asList(new ItemResult[items.size()]));
        List<Transactions.Work<Accepted>> works = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        List<Prepared> prepared = new ArrayList<>();
        List<Transactions.Outcome<Accepted>> outcomes;
        try {
            for (int i = 0; i < items.size(); i++) {
                try {
                    Prepared p = prepare(caller, items.get(i).document(), items.get(i).idempotencyKey());
                    prepared.add(p);
                    indexes.add(i);
                    works.add(c -> store(c, p));
                } catch (PuenteException e) {
                    results.set(i, new ItemResult(null, e));
                }
            }
            outcomes = tx.writeAll(works);
        } finally {
            prepared.forEach(p -> p.ticket().close());
        }
        for (int k = 0; k < outcomes.size(); k++) {
            Transactions.Outcome<Accepted> o = outcomes.get(k);
            if (o.failure() == null) {
                afterAccept(prepared.get(k), o.value());
                results.set(indexes.get(k), new ItemResult(o.value(), null));
            } else {
                PuenteException failure = o.failure() instanceof RejectedSubmission r
                        ? audited(caller, prepared.get(k).header().messageType(), r) : o.failure();
                results.set(indexes.get(k), new ItemResult(null, failure));
            }
        }
        return results;
    }

    /** A submission validated and sealed, holding its share of the processing budget until stored. */
    private record Prepared(ClientPrincipal caller, EnvelopeHeader header, Submission submission, String idempotencyKey,
                            byte[] requestSha256, byte[] payloadSha256, SealedEnvelope sealed, List<Problem> warnings,
                            AdmissionControl.Ticket ticket) {
    }

    private Prepared prepare(ClientPrincipal caller, byte[] document, String idempotencyKey) {
        if (!caller.is(ClientEntry.Role.AGENCY) || caller.agency().isEmpty()) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "only agency systems submit messages");
        }
        if (idempotencyKey != null && !idempotencyKey.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw reject(caller, null, List.of(Problem.error(ErrorCode.PATTERN_MISMATCH, "/Idempotency-Key",
                    "[A-Za-z0-9._:-]{1,128}")));
        }
        AdmissionControl.Ticket ticket = admission.admit(document.length);
        try {
            SubmissionCheck check = validator.validateSubmission(document, caller.agency().get());
            if (check.report().hasErrors() || check.submission().isEmpty()) {
                throw reject(caller, check.submission().map(x -> x.header().messageType()).orElse(null), check.report().errors());
            }
            Submission s = check.submission().get();
            Instant now = clock.instant();
            EnvelopeHeader header = s.toEnvelopeHeader(MessageIds.next(now), now, catalogue);
            SealedEnvelope sealed = envelopes.seal(header, s.payload());
            return new Prepared(caller, header, s, idempotencyKey, Digests.sha256(document), Digests.sha256(s.payload()),
                    sealed, check.report().warnings(), ticket);
        } catch (RuntimeException | Error e) {
            ticket.close();
            throw e;
        }
    }

    private Accepted store(Connection c, Prepared p) throws SQLException {
        String submitter = p.caller().agency().orElseThrow().agency();
        if (p.idempotencyKey() != null) {
            Optional<OutboxStore.PriorSubmission> prior = outbox.findByIdempotencyKey(c, submitter, p.idempotencyKey());
            if (prior.isPresent()) {
                if (!Arrays.equals(prior.get().requestSha256(), p.requestSha256())) {
                    throw new PuenteException(ErrorCode.IDEMPOTENCY_CONFLICT, p.idempotencyKey());
                }
                return new Accepted(prior.get().messageId(), true, p.warnings());
            }
        }
        Instant now = clock.instant();
        EnvelopeHeader h = p.header();
        SealedEnvelope sealed = p.sealed();
        Exchanged m = new Exchanged(h, p.submission().payload(), true, now, p.caller().subject());
        if (rules.concerns(h.messageType())) {
            Optional<Problem> refusal = rules.refusal(c, m);
            if (refusal.isPresent()) {
                throw new RejectedSubmission(List.of(refusal.get()));
            }
        }
        ledger.accepted(c, new OutboxStore.NewMessage(h, submitter, p.idempotencyKey(), p.requestSha256(),
                p.submission().payload(), p.payloadSha256(), sealed.bytes(), sealed.sha256()), p.caller().subject(), now);
        rules.apply(c, m);
        queue.enqueue(c, NewJob.forMessage(WorkKind.PEER_ENVELOPE, h.messageId(), Lane.of(h.priority()),
                sealed.bytes().length, now, h.expiresAt()), now);
        return new Accepted(h.messageId(), false, p.warnings());
    }

    private void afterAccept(Prepared p, Accepted a) {
        if (a.replayed()) {
            return;
        }
        observer.accepted(p.header());
        observer.sealed(p.header());
        wakeDispatch.run();
    }

    private RejectedSubmission reject(ClientPrincipal caller, String messageType, List<Problem> problems) {
        return audited(caller, messageType, new RejectedSubmission(problems));
    }

    /** Counts and audits a refusal (nothing else is stored for it); returns it to be thrown. */
    private RejectedSubmission audited(ClientPrincipal caller, String messageType, RejectedSubmission r) {
        List<Problem> problems = r.problems();
        observer.rejected(messageType, r.errorCode());
        String codes = problems.stream().map(pr -> pr.code().code() + " " + pr.pointer()).distinct().limit(20)
                .reduce((x, y) -> x + "; " + y).orElse("");
        AuditEvent e = new AuditEvent(clock.instant(), AuditEventType.REJECTED,
                new AuditEvent.Subject(null, null, messageType, caller.agency().map(Object::toString).orElse(null),
                        null, null, null, null),
                AuditEvent.Digests.NONE, caller.subject(),
                new AuditEvent.Result(AuditEvent.REJECTED, r.errorCode().code(), codes));
        tx.write(c -> {
            audit.append(c, e);
            return null;
        });
        return r;
    }
}
