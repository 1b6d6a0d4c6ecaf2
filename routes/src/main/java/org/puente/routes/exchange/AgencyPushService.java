package org.puente.routes.exchange;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import org.puente.routes.api.JsonBodies;
import org.puente.routes.config.GatewayConfig;
import org.puente.routes.security.TlsContexts;
import org.puente.routes.store.AuditEvent;
import org.puente.routes.store.AuditEventType;
import org.puente.routes.store.AuditLog;
import org.puente.routes.store.InboxEntry;
import org.puente.routes.store.InboxStore;
import org.puente.routes.store.NoticeStore;
import org.puente.routes.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push delivery, for agencies configured with an HTTPS endpoint: each received message is POSTed
 * to it (mutual TLS, the gateway's TLS certificate as client) with the same JSON as a mailbox
 * message and the header {@code Puente-Message-Id}. A 2xx answer is the agency's acknowledgement;
 * anything else is retried with backoff. Delivery is at least once: the agency deduplicates by
 * message id.
 */
public final class AgencyPushService {
    private static final Logger LOG = LoggerFactory.getLogger(AgencyPushService.class);
    private static final int BATCH = 50;

    private final Map<String, GatewayConfig.AgencyPush> endpoints;
    private final HttpClient http;
    private final Transactions tx;
    private final InboxStore inbox;
    private final NoticeStore notices;
    private final AuditLog audit;
    private final Backoff backoff;
    private final Clock clock;
    private final Runnable wakeNotices;
    private final MailboxService.MailboxListener listener;

    public AgencyPushService(Map<String, GatewayConfig.AgencyPush> endpoints, SSLContext tls, Executor executor,
                             Transactions tx, InboxStore inbox, NoticeStore notices, AuditLog audit, Backoff backoff,
                             Clock clock, Runnable wakeNotices, MailboxService.MailboxListener listener) {
        this.endpoints = Map.copyOf(endpoints);
        this.http = HttpClient.newBuilder().sslContext(tls).sslParameters(TlsContexts.clientParameters(tls))
                .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
        this.tx = tx;
        this.inbox = inbox;
        this.notices = notices;
        this.audit = audit;
        this.backoff = backoff;
        this.clock = clock;
        this.wakeNotices = wakeNotices;
        this.listener = listener;
    }

    /** Pushes what is due; returns how many were attempted (a full batch means more may wait). */
    public int pushDue() {
        if (endpoints.isEmpty()) {
            return 0;
        }
        List<InboxEntry> due = tx.read(c -> inbox.duePush(c, List.copyOf(endpoints.keySet()), clock.instant(), BATCH));
        List<Transactions.Work<Boolean>> works = new ArrayList<>(due.size());
        for (InboxEntry e : due) {
            GatewayConfig.AgencyPush target = endpoints.get(e.header().receiver().agency());
            String failure = post(target, e);
            Instant now = clock.instant();
            if (failure == null) {
                works.add(c -> {
                    inbox.markDelivered(c, e.messageId(), now);
                    if (!inbox.acknowledge(c, target.agency(), e.messageId(), now)) {
                        return false;
                    }
                    String actor = "push " + target.url().getHost();
                    audit.append(c, AuditEvent.of(AuditEventType.DELIVERED, e.header(), now, actor)
                            .withDigests(e.payloadSha256(), e.envelopeSha256()));
                    audit.append(c, AuditEvent.of(AuditEventType.ACKNOWLEDGED, e.header(), now, actor)
                            .withDigests(e.payloadSha256(), e.envelopeSha256()));
                    notices.enqueue(c, e.messageId(), MailboxService.NOTICE_DELIVERED, target.agency(), now);
                    return true;
                });
            } else {
                Instant next = backoff.next(now, e.pushAttempts());
                works.add(c -> {
                    inbox.reschedulePush(c, e.messageId(), next);
                    audit.append(c, AuditEvent.of(AuditEventType.PUSH_FAILED, e.header(), now, "push " + target.url().getHost())
                            .withOutcome(AuditEvent.RETRY, org.puente.model.error.ErrorCode.PEER_UNREACHABLE, failure));
                    return false;
                });
            }
        }
        List<Transactions.Outcome<Boolean>> outcomes = tx.writeAll(works);
        boolean any = false;
        for (int i = 0; i < outcomes.size(); i++) {
            if (Boolean.TRUE.equals(outcomes.get(i).value())) {
                listener.delivered(due.get(i));
                listener.acknowledged(due.get(i));
                any = true;
            }
        }
        if (any) {
            wakeNotices.run();
        }
        return due.size();
    }

    /** POSTs one message; returns null on a 2xx answer, else what went wrong. */
    private String post(GatewayConfig.AgencyPush target, InboxEntry e) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(target.url())
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Puente-Message-Id", e.messageId().toString())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JsonBodies.mailboxMessage(e))).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 == 2) {
                return null;
            }
            return "HTTP " + r.statusCode();
        } catch (IOException ex) {
            LOG.warn("push to {} failed: {}", target.agency(), ex.getClass().getSimpleName());
            return ex.getClass().getSimpleName();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
