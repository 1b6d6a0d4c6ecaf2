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
import org.puente.engine.audit.AuditLog;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.engine.ops.PayloadRetention;
import org.puente.engine.store.Transactions;
import org.puente.engine.work.Job;
import org.puente.engine.work.Outcome;
import org.puente.engine.work.WorkKind;
import org.puente.engine.work.WorkRunner;

/**
 * The gateway's meters, named {@code gateway.<thing>.<event>} and tagged {@code country},
 * {@code direction}, {@code type}, {@code outcome} (and {@code code} for refusals). Tag values
 * come from closed sets — catalogue types, error codes — never message ids, so cardinality stays
 * bounded. Each exchange event is also handed to the {@link ExchangeJournal} (one log line, and
 * the dashboard's recent refusals).
 */
public final class GatewayMetrics implements ExchangeObserver, WorkRunner.WorkListener, ErrorListener, FailureListener,
        Transactions.GroupListener, AuditLog.AppendListener {
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
        payloadsPurged(OUTBOUND);
        payloadsPurged(INBOUND);
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

    // --- payloads at rest ---
    /** One payload sweep: the payloads it purged after their retention, by direction. */
    public void payloadsSwept(PayloadRetention.Sweep sweep) {
        payloadsPurged(OUTBOUND).increment(sweep.purgedOutbound());
        payloadsPurged(INBOUND).increment(sweep.purgedInbound());
    }

    private Counter payloadsPurged(String direction) {
        return Counter.builder("gateway.payloads.purged").description(MeterHelp.of("gateway.payloads.purged"))
                .tags("country", country, "direction", direction).register(registry);
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
    public void sealed(EnvelopeHeader h) {
        count("gateway.envelopes.sealed", OUTBOUND, h.messageType(), "ok");
        journal.sealed(h);
    }

    @Override
    public void receipted(EnvelopeHeader h, Instant at) {
        count("gateway.sends.attempted", OUTBOUND, h.messageType(), "receipted");
        count("gateway.sends.succeeded", OUTBOUND, h.messageType(), "receipted");
        latency("gateway.latency.receipt", OUTBOUND, h.messageType()).record(Duration.between(h.createdAt(), at));
        journal.receipted(h);
    }

    @Override
    public void sendFailed(EnvelopeHeader h, ErrorCode code, boolean retrying) {
        String outcome = retrying ? "retry" : "failed";
        count("gateway.sends.attempted", OUTBOUND, h.messageType(), outcome);
        count(retrying ? "gateway.sends.retried" : "gateway.sends.failed", OUTBOUND, h.messageType(), outcome, code);
        journal.sendFailed(h, code, retrying);
    }

    @Override
    public void expired(EnvelopeHeader h) {
        count("gateway.messages.expired", OUTBOUND, h.messageType(), "expired");
        journal.expired(h);
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
    public void handedOver(EnvelopeHeader h) {
        count("gateway.messages.delivered", INBOUND, h.messageType(), "delivered");
        journal.handedOver(h);
    }

    @Override
    public void acknowledged(EnvelopeHeader h) {
        count("gateway.messages.acknowledged", INBOUND, h.messageType(), "acknowledged");
        journal.acknowledged(h);
    }

    @Override
    public void deliveredToAgency(EnvelopeHeader h, Instant at) {
        count("gateway.messages.delivered", OUTBOUND, h.messageType(), "delivered");
        latency("gateway.latency.delivery", OUTBOUND, h.messageType()).record(Duration.between(h.createdAt(), at).abs());
        journal.deliveredToAgency(h);
    }

    @Override
    public void answered(EnvelopeHeader h, org.puente.model.answer.BusinessStatus status) {
        count("gateway.messages.answered", OUTBOUND, h.messageType(), status.name().toLowerCase(java.util.Locale.ROOT));
        journal.answered(h, status);
    }

    @Override
    public void noticeSent(EnvelopeHeader h) {
        count("gateway.notices.sent", INBOUND, h.messageType(), "accepted");
        journal.noticeSent(h);
    }

    // --- the work queue ---
    @Override
    public void claimed(WorkKind kind, int jobs) {
        Counter.builder("gateway.work.claimed").description(MeterHelp.of("gateway.work.claimed"))
                .tags(Tags.of("country", country, "kind", kind.name().toLowerCase(java.util.Locale.ROOT)))
                .register(registry).increment(jobs);
    }

    @Override
    public void ended(Outcome outcome) {
        String result = outcome instanceof Outcome.Done ? "done" : outcome instanceof Outcome.Failed ? "failed" : "retry";
        Counter.builder("gateway.work.ended").description(MeterHelp.of("gateway.work.ended"))
                .tags(Tags.of("country", country, "kind", outcome.job().kind().name().toLowerCase(java.util.Locale.ROOT),
                        "outcome", result))
                .register(registry).increment();
    }

    @Override
    public void expired(Job job) {
        Counter.builder("gateway.work.ended").description(MeterHelp.of("gateway.work.ended"))
                .tags(Tags.of("country", country, "kind", job.kind().name().toLowerCase(java.util.Locale.ROOT),
                        "outcome", "dead"))
                .register(registry).increment();
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
