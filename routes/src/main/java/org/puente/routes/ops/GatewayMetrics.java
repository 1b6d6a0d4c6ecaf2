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
 * bounded.
 */
public final class GatewayMetrics implements SubmissionService.SubmissionListener, OutboundDispatcher.DispatchListener,
        PeerReceiver.ReceiveListener, MailboxService.MailboxListener, NoticeService.NoticeListener,
        ApiErrorResponder.ErrorListener, BackgroundFailures.FailureListener, Transactions.GroupListener {
    public static final String OUTBOUND = "outbound";
    public static final String INBOUND = "inbound";

    private final MeterRegistry registry;
    private final String country;

    public GatewayMetrics(MeterRegistry registry, String country) {
        this.registry = registry;
        this.country = country;
    }

    public MeterRegistry registry() {
        return registry;
    }

    private Tags tags(String direction, String type, String outcome) {
        return Tags.of("country", country, "direction", direction, "type", type == null ? "unknown" : type,
                "outcome", outcome);
    }

    private void count(String name, String direction, String type, String outcome) {
        registry.counter(name, tags(direction, type, outcome)).increment();
    }

    private void count(String name, String direction, String type, String outcome, ErrorCode code) {
        registry.counter(name, tags(direction, type, outcome).and("code", code.code())).increment();
    }

    private Timer latency(String name, String direction, String type) {
        return Timer.builder(name).tags(tags(direction, type, "ok"))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    // --- submissions ---
    @Override
    public void accepted(EnvelopeHeader header) {
        count("gateway.submissions.accepted", OUTBOUND, header.messageType(), "accepted");
    }

    @Override
    public void rejected(String messageType, ErrorCode code) {
        count("gateway.submissions.rejected", OUTBOUND, messageType, "rejected", code);
    }

    // --- dispatch ---
    @Override
    public void sealed(OutboxEntry e) {
        count("gateway.envelopes.sealed", OUTBOUND, e.header().messageType(), "ok");
    }

    @Override
    public void receipted(OutboxEntry e, Instant at) {
        count("gateway.sends.succeeded", OUTBOUND, e.header().messageType(), "receipted");
        latency("gateway.latency.receipt", OUTBOUND, e.header().messageType())
                .record(Duration.between(e.header().createdAt(), at));
    }

    @Override
    public void failed(OutboxEntry e, ErrorCode code, boolean retrying) {
        count(retrying ? "gateway.sends.retried" : "gateway.sends.failed", OUTBOUND, e.header().messageType(),
                retrying ? "retry" : "failed", code);
    }

    @Override
    public void expired(OutboxEntry e) {
        count("gateway.messages.expired", OUTBOUND, e.header().messageType(), "expired");
    }

    // --- inbound ---
    @Override
    public void stored(EnvelopeHeader h) {
        count("gateway.envelopes.opened", INBOUND, h.messageType(), "stored");
    }

    @Override
    public void refused(String messageType, ErrorCode code) {
        count("gateway.envelopes.rejected", INBOUND, messageType, "rejected", code);
    }

    @Override
    public void duplicate(EnvelopeHeader h) {
        count("gateway.messages.duplicates", INBOUND, h.messageType(), "duplicate");
    }

    @Override
    public void delivered(InboxEntry e) {
        count("gateway.messages.delivered", INBOUND, e.header().messageType(), "delivered");
    }

    @Override
    public void acknowledged(InboxEntry e) {
        count("gateway.messages.acknowledged", INBOUND, e.header().messageType(), "acknowledged");
    }

    @Override
    public void deliveredToAgency(OutboxEntry sent, Instant at) {
        count("gateway.messages.delivered", OUTBOUND, sent.header().messageType(), "delivered");
        latency("gateway.latency.delivery", OUTBOUND, sent.header().messageType())
                .record(Duration.between(sent.header().createdAt(), at).abs());
    }

    // --- errors and internals ---
    @Override
    public void answered(String operation, PuenteException e) {
        registry.counter("gateway.api.errors", Tags.of("country", country, "operation", operation == null ? "unknown" : operation,
                "code", e.errorCode().code())).increment();
    }

    @Override
    public void failed(String routeId, String code) {
        registry.counter("gateway.background.failures", Tags.of("country", country, "route", String.valueOf(routeId),
                "code", code)).increment();
    }

    @Override
    public void committed(int units, long nanos) {
        Timer.builder("gateway.store.commit").tags("country", country).publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos(nanos));
        Counter.builder("gateway.store.units").tags("country", country).register(registry).increment(units);
    }
}
