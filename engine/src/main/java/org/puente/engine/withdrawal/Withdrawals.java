package org.puente.engine.withdrawal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.outbound.OutboundLedger;
import org.puente.engine.outbound.OutboxEntry;
import org.puente.engine.outbound.OutboxState;
import org.puente.engine.outbound.OutboxStore;
import org.puente.engine.peer.DeliveryNotice;
import org.puente.engine.security.ClientPrincipal;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Lane;
import org.puente.engine.work.NewJob;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkQueue;
import org.puente.model.AgencyRef;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * A sending agency cancels a message it sent, or replaces it by another it sent (same type, same
 * receiver). The withdrawal, its status step and audit event and the job that carries it to the
 * receiving gateway (signed, {@link WithdrawalWorker}) are one unit, answered only once on disk.
 * One withdrawal per message: the same again is harmless, another is refused
 * ({@code withdrawal_conflict}). A message still on its way is withdrawn all the same: the notice
 * waits until the peer has it.
 */
public final class Withdrawals {
    /** How long the peer may be away before a withdrawal's notice becomes a dead letter. */
    static final Duration NOTICE_TIME = Duration.ofDays(30);
    static final int MAX_REASON = 500;

    private final Transactions tx;
    private final OutboxStore outbox;
    private final OutboundLedger ledger;
    private final WorkQueue queue;
    private final Clock clock;
    private final Runnable wake;

    public Withdrawals(Transactions tx, OutboxStore outbox, OutboundLedger ledger, WorkQueue queue, Clock clock,
                       Runnable wake) {
        this.tx = tx;
        this.outbox = outbox;
        this.ledger = ledger;
        this.queue = queue;
        this.clock = clock;
        this.wake = wake;
    }

    /** What the caller sees of a withdrawal. */
    public record Withdrawn(UUID messageId, String kind, DeliveryNotice.Withdrawal withdrawal, Instant at) {
    }

    /**
     * Withdraws the caller's message: cancelled when {@code replacement} is empty, else replaced by it.
     *
     * @throws PuenteException {@code not_found} (not a message the caller's agency sent),
     *                         {@code invalid_withdrawal}, {@code withdrawal_conflict}
     */
    public Withdrawn withdraw(ClientPrincipal caller, UUID messageId, String reason, Optional<UUID> replacement) {
        AgencyRef agency = agencyOf(caller);
        OutboxEntry e = tx.read(c -> outbox.find(c, messageId)).filter(x -> x.header().sender().equals(agency))
                .orElseThrow(() -> new PuenteException(ErrorCode.NOT_FOUND, "message", messageId));
        DeliveryNotice.Withdrawal w = new DeliveryNotice.Withdrawal(checked(reason), replacement.orElse(null));
        if (e.state() == OutboxState.FAILED || e.state() == OutboxState.EXPIRED) {
            throw new PuenteException(ErrorCode.INVALID_WITHDRAWAL, "message " + messageId + " is " + e.state()
                    + ": the receiving gateway never stored it");
        }
        if (replacement.isPresent()) {
            checkReplacement(e, replacement.get());
        }
        Instant now = clock.instant();
        boolean stored = tx.write(c -> {
            if (!WithdrawalRows.insert(c, messageId, WithdrawalRows.SENT, agency.agency(), w, now, caller.subject(), null)) {
                return false;
            }
            ledger.withdrawn(c, e, w, caller.subject(), now);
            queue.enqueue(c, NewJob.forMessage(WorkKind.WITHDRAWAL_NOTICE, messageId, Lane.of(e.header().priority()), 0, now,
                    now.plus(NOTICE_TIME)), now);
            return true;
        });
        Optional<WithdrawalRows.Row> row = tx.read(c -> WithdrawalRows.find(c, messageId));
        if (!stored && !row.map(r -> r.withdrawal().equals(w)).orElse(false)) {
            if (row.isEmpty()) {
                // the replacement already replaces another message (unique index): nothing was stored
                throw new PuenteException(ErrorCode.INVALID_WITHDRAWAL, "message " + w.replacement()
                        + " already replaces another message");
            }
            throw new PuenteException(ErrorCode.WITHDRAWAL_CONFLICT, messageId, row.get().kind().toLowerCase(java.util.Locale.ROOT));
        }
        if (stored) {
            wake.run();
        }
        WithdrawalRows.Row r = row.orElseThrow();
        return new Withdrawn(messageId, r.kind(), r.withdrawal(), r.at());
    }

    private void checkReplacement(OutboxEntry e, UUID replacement) {
        if (replacement.equals(e.messageId())) {
            throw new PuenteException(ErrorCode.INVALID_WITHDRAWAL, "a message cannot replace itself");
        }
        OutboxEntry r = tx.read(c -> outbox.find(c, replacement)).filter(x -> x.header().sender().equals(e.header().sender()))
                .orElseThrow(() -> new PuenteException(ErrorCode.INVALID_WITHDRAWAL,
                        "the replacement " + replacement + " is not a message your agency sent"));
        if (!r.header().messageType().equals(e.header().messageType()) || !r.header().receiver().equals(e.header().receiver())) {
            throw new PuenteException(ErrorCode.INVALID_WITHDRAWAL, "the replacement must be a " + e.header().messageType()
                    + " to " + e.header().receiver());
        }
        if (r.state() == OutboxState.FAILED || r.state() == OutboxState.EXPIRED) {
            throw new PuenteException(ErrorCode.INVALID_WITHDRAWAL, "the replacement " + replacement + " is " + r.state()
                    + ": it will never reach the receiver");
        }
        if (tx.read(c -> WithdrawalRows.find(c, replacement)).isPresent()) {
            throw new PuenteException(ErrorCode.INVALID_WITHDRAWAL, "the replacement " + replacement
                    + " was itself cancelled or replaced");
        }
    }

    private static String checked(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON
                || reason.chars().anyMatch(Character::isISOControl)) {
            throw new PuenteException(ErrorCode.INVALID_WITHDRAWAL,
                    "a reason of 1 to " + MAX_REASON + " characters without control characters is required");
        }
        return reason;
    }

    private static AgencyRef agencyOf(ClientPrincipal caller) {
        if (!caller.is(ClientEntry.Role.AGENCY) || caller.agency().isEmpty()) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "only agency systems withdraw messages");
        }
        return caller.agency().get();
    }
}
