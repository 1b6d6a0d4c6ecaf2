package org.puente.routes.exchange;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.puente.envelope.SealedEnvelope;
import org.puente.model.EnvelopeHeader;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.model.submission.Submission;
import org.puente.model.validation.MessageValidator;
import org.puente.model.validation.Problem;
import org.puente.model.validation.SubmissionCheck;
import org.puente.routes.config.ClientEntry;
import org.puente.routes.security.ClientPrincipal;
import org.puente.routes.store.AuditEvent;
import org.puente.routes.store.AuditEventType;
import org.puente.routes.store.AuditLog;
import org.puente.routes.store.MessageStatus;
import org.puente.routes.store.OutboxEntry;
import org.puente.routes.store.OutboxState;
import org.puente.routes.store.OutboxStore;
import org.puente.routes.store.StatusStore;
import org.puente.routes.store.Transactions;

/**
 * The one submission pipeline behind every agency door (REST, SOAP, drop folder): authorize,
 * validate, persist in the outbox with its audit event in one durable transaction, then wake the
 * dispatcher. Nothing is stored for a refused submission but its audit event.
 */
public final class SubmissionService {
    private final MessageValidator validator;
    private final MessageCatalogue catalogue;
    private final Transactions tx;
    private final OutboxStore outbox;
    private final StatusStore statuses;
    private final AuditLog audit;
    private final AdmissionControl admission;
    private final PeerEnvelopes envelopes;
    private final DispatchQueue fastPath;
    private final String instanceId;
    private final Runnable wakeDispatcher;
    private final Clock clock;
    private final SubmissionListener listener;

    /** Observes outcomes (metrics). */
    public interface SubmissionListener {
        void accepted(EnvelopeHeader header);

        void rejected(String messageType, ErrorCode code);
    }

    public SubmissionService(MessageValidator validator, MessageCatalogue catalogue, Transactions tx, OutboxStore outbox,
                             StatusStore statuses, AuditLog audit, AdmissionControl admission, PeerEnvelopes envelopes,
                             DispatchQueue fastPath, String instanceId, Runnable wakeDispatcher, Clock clock,
                             SubmissionListener listener) {
        this.validator = validator;
        this.catalogue = catalogue;
        this.tx = tx;
        this.outbox = outbox;
        this.statuses = statuses;
        this.audit = audit;
        this.admission = admission;
        this.envelopes = envelopes;
        this.fastPath = fastPath;
        this.instanceId = instanceId;
        this.wakeDispatcher = wakeDispatcher;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * The answer to an accepted submission. {@code replayed}: an idempotent retry found the
     * earlier message; {@code entry}: the stored message (not for a replay).
     */
    public record Accepted(UUID messageId, boolean replayed, OutboxEntry entry) {
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
        try {
            a = tx.write(c -> store(c, p));
        } catch (RuntimeException e) {
            p.cancelReservation(fastPath);
            throw e;
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
        List<Transactions.Outcome<Accepted>> outcomes = tx.writeAll(works);
        for (int k = 0; k < outcomes.size(); k++) {
            Transactions.Outcome<Accepted> o = outcomes.get(k);
            if (o.failure() == null) {
                afterAccept(prepared.get(k), o.value());
                results.set(indexes.get(k), new ItemResult(o.value(), null));
            } else {
                prepared.get(k).cancelReservation(fastPath);
                results.set(indexes.get(k), new ItemResult(null, o.failure()));
            }
        }
        return results;
    }

    private record Prepared(ClientPrincipal caller, EnvelopeHeader header, Submission submission, String idempotencyKey,
                            byte[] requestSha256, byte[] payloadSha256, SealedEnvelope sealed, Instant leaseUntil) {
        void cancelReservation(DispatchQueue queue) {
            if (leaseUntil != null) {
                queue.cancel();
            }
        }
    }

    private Prepared prepare(ClientPrincipal caller, byte[] document, String idempotencyKey) {
        if (!caller.is(ClientEntry.Role.AGENCY) || caller.agency().isEmpty()) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "only agency systems submit messages");
        }
        if (idempotencyKey != null && !idempotencyKey.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw reject(caller, null, List.of(Problem.error(ErrorCode.PATTERN_MISMATCH, "/Idempotency-Key",
                    "[A-Za-z0-9._:-]{1,128}")));
        }
        admission.admit(document.length);
        SubmissionCheck check = validator.validateSubmission(document, caller.agency().get());
        if (check.report().hasErrors() || check.submission().isEmpty()) {
            throw reject(caller, check.submission().map(x -> x.header().messageType()).orElse(null), check.report().errors());
        }
        Submission s = check.submission().get();
        EnvelopeHeader header = s.toEnvelopeHeader(UUID.randomUUID(), clock.instant(), catalogue);
        SealedEnvelope sealed = envelopes.seal(header, s.payload());
        return new Prepared(caller, header, s, idempotencyKey, Digests.sha256(document), Digests.sha256(s.payload()), sealed,
                fastPath.reserve());
    }

    private Accepted store(java.sql.Connection c, Prepared p) throws java.sql.SQLException {
        String submitter = p.caller().agency().orElseThrow().agency();
        if (p.idempotencyKey() != null) {
            Optional<OutboxStore.PriorSubmission> prior = outbox.findByIdempotencyKey(c, submitter, p.idempotencyKey());
            if (prior.isPresent()) {
                if (!Arrays.equals(prior.get().requestSha256(), p.requestSha256())) {
                    throw new PuenteException(ErrorCode.IDEMPOTENCY_CONFLICT, p.idempotencyKey());
                }
                return new Accepted(prior.get().messageId(), true, null);
            }
        }
        Instant now = clock.instant();
        byte[] payloadSha = p.payloadSha256();
        SealedEnvelope sealed = p.sealed();
        outbox.insert(c, new OutboxStore.NewMessage(p.header(), submitter, p.idempotencyKey(), p.requestSha256(),
                p.submission().payload(), payloadSha, sealed.bytes(), sealed.sha256(),
                p.leaseUntil() == null ? null : instanceId, p.leaseUntil()), now);
        statuses.append(c, p.header().messageId(), MessageStatus.ACCEPTED, now, null, null);
        audit.append(c, AuditEvent.of(AuditEventType.SUBMITTED, p.header(), now, p.caller().subject())
                .withDigests(payloadSha, null));
        audit.append(c, AuditEvent.of(AuditEventType.SEALED, p.header(), now, envelopes.ownName())
                .withDigests(payloadSha, sealed.sha256()));
        OutboxEntry entry = new OutboxEntry(p.header().messageId(), submitter, p.header(), p.submission().payload(), payloadSha,
                sealed.bytes(), sealed.sha256(), OutboxState.PENDING, 0, p.header().expiresAt(), p.header().createdAt());
        return new Accepted(p.header().messageId(), false, entry);
    }

    private void afterAccept(Prepared p, Accepted a) {
        if (a.replayed()) {
            p.cancelReservation(fastPath);
            return;
        }
        if (p.leaseUntil() != null) {
            fastPath.handOver(a.entry(), p.leaseUntil());
        }
        listener.accepted(p.header());
        wakeDispatcher.run();
    }

    private RejectedSubmission reject(ClientPrincipal caller, String messageType, List<Problem> problems) {
        RejectedSubmission r = new RejectedSubmission(problems);
        listener.rejected(messageType, r.errorCode());
        String codes = problems.stream().map(pr -> pr.code().code() + " " + pr.pointer()).distinct().limit(20)
                .reduce((x, y) -> x + "; " + y).orElse("");
        AuditEvent e = new AuditEvent(clock.instant(), AuditEventType.REJECTED, null, null, messageType,
                caller.agency().map(Object::toString).orElse(null), null, null, null, null, null, null, caller.subject(),
                AuditEvent.REJECTED, r.errorCode().code(), codes);
        tx.write(c -> {
            audit.append(c, e);
            return null;
        });
        return r;
    }
}
