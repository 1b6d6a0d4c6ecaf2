package org.puente.routes.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.camel.ApiErrorResponder;
import org.puente.routes.camel.BackgroundFailures;
import org.puente.routes.exchange.MailboxService;
import org.puente.routes.exchange.NoticeService;
import org.puente.routes.exchange.OutboundDispatcher;
import org.puente.routes.exchange.PeerReceiver;
import org.puente.routes.exchange.SubmissionService;
import org.puente.routes.store.InboxEntry;
import org.puente.routes.store.OutboxEntry;
import org.puente.routes.store.Transactions;

/**
 * The gateway's meters, named {@code gateway.<thing>.<event>} and tagged {@code country},
 * {@code direction}, {@code type}, {@code outcome} (and {@code code} for refusals). Tag values
 * come from closed sets — catalogue types, error codes — never message ids, so cardinality stays
 * bounded. Each exchange event is also handed to the {@link ExchangeJournal} (one log line, and
 * the dashboard's recent refusals).
 */
public final class GatewayMetrics implements SubmissionService.SubmissionListener, OutboundDispatcher.DispatchListener,
        PeerReceiver.ReceiveListener, MailboxService.MailboxListener, NoticeService.NoticeListener,
        ApiErrorResponder.ErrorListener, BackgroundFailures.FailureListener, Transactions.GroupListener,
        MeteredAuditLog.AppendListener {
    public static final String OUTBOUND = "outbound";
    public static final String INBOUND = "inbound";

    private final MeterRegistry registry;
    private final String country;
    private final ExchangeJournal journal;
    private final Timer auditAppend;
    private final Counter auditFailures;
    private final Counter reconciliationMismatches;

    public GatewayMetrics(MeterRegistry registry, String country) {
        this.registry = registry;
        this.country = country;
        this.journal = new ExchangeJournal(country);
        // Registered up front (at zero) so that alert expressions have a series before the first event.
        this.auditAppend = Timer.builder("gateway.audit.append").tags("country", country)
                .description("Time to append one audit event inside its unit of work")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
        this.auditFailures = Counter.builder("gateway.audit.append.failures").tags("country", country)
                .description("Audit events that could not be appended (their state change was rolled back)")
                .register(registry);
        this.reconciliationMismatches = Counter.builder("gateway.reconciliation.mismatches").tags("country", country)
                .description("Messages missing or with different digests in a bilateral reconciliation").register(registry);
    }

    /** What the journal remembers for the dashboard. */
    public ExchangeJournal journal() {
        return journal;
    }

    public MeterRegistry registry() {
        return registry;
    }

    private Tags tags(String direction, String type, String outcome) {
        return Tags.of("country", country, "direction", direction, "type", type == null ? "unknown" : type,
                "outcome", outcome);
    }

    private void count(String name, String direction, String type, String outcome) {
        Counter.builder(name).description(MeterHelp.of(name)).tags(tags(direction, type, outcome)).register(registry)
                .increment();
    }

    private void count(String name, String direction, String type, String outcome, ErrorCode code) {
        Counter.builder(name).description(MeterHelp.of(name)).tags(tags(direction, type, outcome).and("code", code.code()))
                .register(registry).increment();
    }

    private Timer latency(String name, String direction, String type) {
        return Timer.builder(name).description(MeterHelp.of(name)).tags(tags(direction, type, "ok"))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    // --- submissions ---
    @Override
    public void accepted(EnvelopeHeader header) {
        count("gateway.submissions.accepted", OUTBOUND, header.messageType(), "accepted");
        journal.accepted(header);
    }

    @Override
    public void rejected(String messageType, ErrorCode code) {
        count("gateway.submissions.rejected", OUTBOUND, messageType, "rejected", code);
        journal.rejected(messageType, code);
    }

    // --- dispatch ---
    @Override
    public void sealed(OutboxEntry e) {
        count("gateway.envelopes.sealed", OUTBOUND, e.header().messageType(), "ok");
        journal.sealed(e);
    }

    @Override
    public void receipted(OutboxEntry e, Instant at) {
        count("gateway.sends.attempted", OUTBOUND, e.header().messageType(), "receipted");
        count("gateway.sends.succeeded", OUTBOUND, e.header().messageType(), "receipted");
        latency("gateway.latency.receipt", OUTBOUND, e.header().messageType())
                .record(Duration.between(e.header().createdAt(), at));
        journal.receipted(e);
    }

    @Override
    public void failed(OutboxEntry e, ErrorCode code, boolean retrying) {
        String outcome = retrying ? "retry" : "failed";
        count("gateway.sends.attempted", OUTBOUND, e.header().messageType(), outcome);
        count(retrying ? "gateway.sends.retried" : "gateway.sends.failed", OUTBOUND, e.header().messageType(),
                outcome, code);
        journal.sendFailed(e, code, retrying);
    }

    @Override
    public void expired(OutboxEntry e) {
        count("gateway.messages.expired", OUTBOUND, e.header().messageType(), "expired");
        journal.expired(e);
    }

    // --- inbound ---
    @Override
    public void stored(EnvelopeHeader h) {
        count("gateway.envelopes.opened", INBOUND, h.messageType(), "stored");
        journal.stored(h);
    }

    @Override
    public void refused(String messageType, ErrorCode code) {
        count("gateway.envelopes.rejected", INBOUND, messageType, "rejected", code);
        journal.refused(messageType, code);
    }

    @Override
    public void duplicate(EnvelopeHeader h) {
        count("gateway.messages.duplicates", INBOUND, h.messageType(), "duplicate");
        journal.duplicate(h);
    }

    @Override
    public void delivered(InboxEntry e) {
        count("gateway.messages.delivered", INBOUND, e.header().messageType(), "delivered");
        journal.handedOver(e);
    }

    @Override
    public void acknowledged(InboxEntry e) {
        count("gateway.messages.acknowledged", INBOUND, e.header().messageType(), "acknowledged");
        journal.acknowledged(e);
    }

    @Override
    public void deliveredToAgency(OutboxEntry sent, Instant at) {
        count("gateway.messages.delivered", OUTBOUND, sent.header().messageType(), "delivered");
        latency("gateway.latency.delivery", OUTBOUND, sent.header().messageType())
                .record(Duration.between(sent.header().createdAt(), at).abs());
        journal.deliveredToAgency(sent);
    }

    // --- errors and internals ---
    @Override
    public void answered(String operation, PuenteException e) {
        Counter.builder("gateway.api.errors").description(MeterHelp.of("gateway.api.errors"))
                .tags(Tags.of("country", country, "operation", operation == null ? "unknown" : operation,
                        "code", e.errorCode().code())).register(registry).increment();
    }

    @Override
    public void failed(String routeId, String code) {
        Counter.builder("gateway.background.failures").description(MeterHelp.of("gateway.background.failures"))
                .tags(Tags.of("country", country, "route", String.valueOf(routeId), "code", code)).register(registry)
                .increment();
    }

    @Override
    public void committed(int units, long nanos) {
        Timer.builder("gateway.store.commit").description(MeterHelp.of("gateway.store.commit")).tags("country", country)
                .publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos(nanos));
        Counter.builder("gateway.store.units").description(MeterHelp.of("gateway.store.units")).tags("country", country).register(registry).increment(units);
    }

    // --- audit and reconciliation ---
    @Override
    public void appended(long nanos) {
        auditAppend.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void appendFailed() {
        auditFailures.increment();
    }

    /** A bilateral reconciliation found {@code messages} missing or mismatched (for the audit work). */
    public void reconciliationMismatch(long messages) {
        reconciliationMismatches.increment(messages);
    }
}
