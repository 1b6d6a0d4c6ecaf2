package org.puente.routes.exchange;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.puente.model.AgencyRef;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.config.ClientEntry;
import org.puente.routes.security.ClientPrincipal;
import org.puente.routes.store.AuditEvent;
import org.puente.routes.store.AuditEventType;
import org.puente.routes.store.AuditLog;
import org.puente.routes.store.InboxEntry;
import org.puente.routes.store.InboxStore;
import org.puente.routes.store.NoticeStore;
import org.puente.routes.store.Transactions;

/**
 * The receiving agencies' mailboxes: list (oldest first, paged), read one message, acknowledge.
 * The first hand-over of a message is audited (DELIVERED); an acknowledgement is audited and
 * queues a signed delivery notice for the sending gateway. Unacknowledged messages stay.
 */
public final class MailboxService {
    public static final int MAX_PAGE = 500;
    public static final String NOTICE_DELIVERED = "DELIVERED";

    private final Transactions tx;
    private final InboxStore inbox;
    private final NoticeStore notices;
    private final AuditLog audit;
    private final Clock clock;
    private final Runnable wakeNotices;
    private final MailboxListener listener;

    /** Observes hand-overs (metrics). */
    public interface MailboxListener {
        void delivered(InboxEntry e);

        void acknowledged(InboxEntry e);
    }

    public MailboxService(Transactions tx, InboxStore inbox, NoticeStore notices, AuditLog audit, Clock clock,
                          Runnable wakeNotices, MailboxListener listener) {
        this.tx = tx;
        this.inbox = inbox;
        this.notices = notices;
        this.audit = audit;
        this.clock = clock;
        this.wakeNotices = wakeNotices;
        this.listener = listener;
    }

    /** A page of the caller's mailbox after position {@code after}; hands each message over. */
    public List<InboxEntry> list(ClientPrincipal caller, long after, int limit) {
        String agency = agencyOf(caller).agency();
        int page = Math.max(1, Math.min(limit, MAX_PAGE));
        List<InboxEntry> entries = tx.read(c -> inbox.mailbox(c, agency, Math.max(0, after), page));
        handOver(caller, entries.stream().filter(e -> e.deliveredAt() == null).toList());
        return entries;
    }

    /**
     * A page of the caller's unacknowledged messages without handing them over: for a channel that
     * must put a message somewhere (a file) before it may count as handed over.
     */
    public List<InboxEntry> pending(ClientPrincipal caller, long after, int limit) {
        String agency = agencyOf(caller).agency();
        int page = Math.max(1, Math.min(limit, MAX_PAGE));
        return tx.read(c -> inbox.mailbox(c, agency, Math.max(0, after), page));
    }

    /** One message of the caller's mailbox (acknowledged ones too), or not found. */
    public InboxEntry get(ClientPrincipal caller, UUID messageId) {
        AgencyRef agency = agencyOf(caller);
        InboxEntry e = tx.read(c -> inbox.find(c, messageId)).filter(x -> x.header().receiver().equals(agency))
                .orElseThrow(() -> new PuenteException(ErrorCode.NOT_FOUND, "message", messageId));
        if (e.deliveredAt() == null) {
            handOver(caller, List.of(e));
        }
        return e;
    }

    /** Acknowledges a message; repeating it is harmless and sends no second notice. */
    public InboxEntry acknowledge(ClientPrincipal caller, UUID messageId) {
        AgencyRef agency = agencyOf(caller);
        InboxEntry e = get(caller, messageId);
        Instant now = clock.instant();
        boolean changed = tx.write(c -> {
            if (!inbox.acknowledge(c, agency.agency(), messageId, now)) {
                return false;
            }
            audit.append(c, AuditEvent.of(AuditEventType.ACKNOWLEDGED, e.header(), now, caller.subject())
                    .withDigests(e.payloadSha256(), e.envelopeSha256()));
            notices.enqueue(c, messageId, NOTICE_DELIVERED, agency.agency(), now);
            return true;
        });
        if (changed) {
            listener.acknowledged(e);
            wakeNotices.run();
        }
        return tx.read(c -> inbox.find(c, messageId)).orElse(e);
    }

    /** Records the first hand-over of messages to their agency (by pull or by push). */
    public void handOver(ClientPrincipal caller, List<InboxEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Transactions.Work<Boolean>> works = new ArrayList<>();
        for (InboxEntry e : entries) {
            works.add(c -> {
                if (!inbox.markDelivered(c, e.messageId(), now)) {
                    return false;
                }
                audit.append(c, AuditEvent.of(AuditEventType.DELIVERED, e.header(), now, caller.subject())
                        .withDigests(e.payloadSha256(), e.envelopeSha256()));
                return true;
            });
        }
        List<Transactions.Outcome<Boolean>> outcomes = tx.writeAll(works);
        for (int i = 0; i < outcomes.size(); i++) {
            if (Boolean.TRUE.equals(outcomes.get(i).value())) {
                listener.delivered(entries.get(i));
            }
        }
    }

    private static AgencyRef agencyOf(ClientPrincipal caller) {
        if (!caller.is(ClientEntry.Role.AGENCY) || caller.agency().isEmpty()) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "only agency systems have a mailbox");
        }
        return caller.agency().get();
    }
}
