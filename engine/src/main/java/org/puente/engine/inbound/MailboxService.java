package org.puente.engine.inbound;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.security.ClientPrincipal;
import org.puente.engine.store.Transactions;
import org.puente.model.AgencyRef;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The receiving agencies' mailboxes: list (oldest first, paged), read one message, acknowledge.
 * The first hand-over of a message is audited (DELIVERED); an acknowledgement is audited and
 * queues a signed delivery notice for the sending gateway, in the same unit, and is answered only
 * once that unit is on disk. Unacknowledged messages stay.
 */
public final class MailboxService {
    public static final int MAX_PAGE = 500;
    /** Payload bytes of one mailbox page at most (the first message of a page goes whatever its size). */
    public static final long MAX_PAGE_BYTES = 16L * 1024 * 1024;

    private final Transactions tx;
    private final InboxStore inbox;
    private final InboundLedger ledger;
    private final Clock clock;
    private final Runnable wakeNotices;
    private final ExchangeObserver observer;

    public MailboxService(Transactions tx, InboxStore inbox, InboundLedger ledger, Clock clock, Runnable wakeNotices,
                          ExchangeObserver observer) {
        this.tx = tx;
        this.inbox = inbox;
        this.ledger = ledger;
        this.clock = clock;
        this.wakeNotices = wakeNotices;
        this.observer = observer;
    }

    /** A page of the caller's mailbox after position {@code after}; hands each message over. */
    public List<InboxEntry> list(ClientPrincipal caller, long after, int limit) {
        String agency = agencyOf(caller).agency();
        int page = Math.max(1, Math.min(limit, MAX_PAGE));
        List<InboxEntry> entries = tx.read(c -> inbox.mailbox(c, agency, Math.max(0, after), page, MAX_PAGE_BYTES));
        handOver(caller, entries.stream().filter(e -> e.deliveredAt() == null).toList(), InboundLedger.PULL);
        return entries;
    }

    /** One message of the caller's mailbox (acknowledged ones too), or not found. */
    public InboxEntry get(ClientPrincipal caller, UUID messageId) {
        InboxEntry e = find(caller, messageId);
        if (e.deliveredAt() == null) {
            handOver(caller, List.of(e), InboundLedger.PULL);
        }
        return e;
    }

    /** Acknowledges a message; repeating it is harmless and sends no second notice. */
    public InboxEntry acknowledge(ClientPrincipal caller, UUID messageId) {
        InboxEntry e = find(caller, messageId);
        Instant now = clock.instant();
        boolean changed = tx.write(c -> ledger.acknowledged(c, e, InboundLedger.PULL, caller.subject(), now));
        if (changed) {
            observer.acknowledged(e.header());
            wakeNotices.run();
        }
        return tx.read(c -> inbox.find(c, messageId)).orElse(e);
    }

    /** Records the first hand-over of messages to their agency. */
    void handOver(ClientPrincipal caller, List<InboxEntry> entries, String via) {
        if (entries.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Transactions.Work<Boolean>> works = new ArrayList<>();
        for (InboxEntry e : entries) {
            works.add(c -> ledger.handedOver(c, e, via, caller.subject(), now));
        }
        List<Transactions.Outcome<Boolean>> outcomes = tx.writeAll(works);
        for (int i = 0; i < outcomes.size(); i++) {
            if (Boolean.TRUE.equals(outcomes.get(i).value())) {
                observer.handedOver(entries.get(i).header());
            }
        }
    }

    private InboxEntry find(ClientPrincipal caller, UUID messageId) {
        AgencyRef agency = agencyOf(caller);
        return tx.read(c -> inbox.find(c, messageId)).filter(x -> x.header().receiver().equals(agency))
                .orElseThrow(() -> new PuenteException(ErrorCode.NOT_FOUND, "message", messageId));
    }

    private static AgencyRef agencyOf(ClientPrincipal caller) {
        if (!caller.is(ClientEntry.Role.AGENCY) || caller.agency().isEmpty()) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "only agency systems have a mailbox");
        }
        return caller.agency().get();
    }
}
