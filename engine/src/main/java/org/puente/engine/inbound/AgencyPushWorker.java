package org.puente.engine.inbound;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.security.TlsContexts;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.Worker;
import org.puente.model.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push delivery, for agencies configured with an HTTPS endpoint: each received message is POSTed
 * to it (mutual TLS, the gateway's TLS certificate as client) with the same JSON as a mailbox
 * message and the header {@code Puente-Message-Id}. A 2xx answer is the agency's
 * acknowledgement; anything else is tried again with backoff. Delivery into the agency is at
 * least once (an answer lost on the way means a second POST of the same message id); into the
 * mailbox it is exactly once.
 */
public final class AgencyPushWorker implements Worker {
    private static final Logger LOG = LoggerFactory.getLogger(AgencyPushWorker.class);

    private final Map<String, GatewayConfig.AgencyPush> endpoints;
    private final HttpClient http;
    private final Transactions tx;
    private final InboxStore inbox;
    private final InboundLedger ledger;
    private final Clock clock;
    private final Runnable wakeNotices;
    private final ExchangeObserver observer;

    public AgencyPushWorker(Map<String, GatewayConfig.AgencyPush> endpoints, SSLContext tls, Executor executor,
                            Transactions tx, InboxStore inbox, InboundLedger ledger, Clock clock, Runnable wakeNotices,
                            ExchangeObserver observer) {
        this.endpoints = Map.copyOf(endpoints);
        this.http = HttpClient.newBuilder().sslContext(tls).sslParameters(TlsContexts.clientParameters(tls))
                .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
        this.tx = tx;
        this.inbox = inbox;
        this.ledger = ledger;
        this.clock = clock;
        this.wakeNotices = wakeNotices;
        this.observer = observer;
    }

    @Override
    public WorkKind kind() {
        return WorkKind.AGENCY_PUSH;
    }

    @Override
    public List<Outcome> perform(List<Job> jobs) {
        List<Outcome> outcomes = new ArrayList<>(jobs.size());
        for (Job j : jobs) {
            InboxEntry e = tx.read(c -> inbox.find(c, j.messageId())).orElse(null);
            if (e == null || e.acknowledgedAt() != null) {
                outcomes.add(Outcome.done(j, Outcome.Record.NOTHING));
                continue;
            }
            GatewayConfig.AgencyPush target = endpoints.get(e.header().receiver().agency());
            if (target == null) {
                // the endpoint was removed from the configuration: the message waits in the mailbox
                outcomes.add(Outcome.done(j, Outcome.Record.NOTHING));
                continue;
            }
            String actor = "push " + target.url().getHost();
            String failure = post(target, e);
            if (failure == null) {
                outcomes.add(Outcome.done(j, c -> {
                    Instant now = clock.instant();
                    boolean first = ledger.handedOver(c, e, InboundLedger.PUSH, actor, now);
                    boolean acked = ledger.acknowledged(c, e, InboundLedger.PUSH, actor, now);
                    return () -> {
                        if (first) {
                            observer.handedOver(e.header());
                        }
                        if (acked) {
                            observer.acknowledged(e.header());
                            wakeNotices.run();
                        }
                    };
                }));
            } else {
                outcomes.add(new Outcome.Retry(j, ErrorCode.PEER_UNREACHABLE, failure, c -> {
                    ledger.pushFailed(c, e, actor, failure, clock.instant());
                    return () -> { };
                }));
            }
        }
        return outcomes;
    }

    /** POSTs one message; returns null on a 2xx answer, else what went wrong. */
    private String post(GatewayConfig.AgencyPush target, InboxEntry e) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(target.url())
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Puente-Message-Id", e.messageId().toString())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(MailboxMessages.one(e))).build(),
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

    @Override
    public Runnable expired(Connection c, Job job, Instant now) {
        // the message stays in the mailbox, where the agency can still pull it
        return () -> { };
    }
}
