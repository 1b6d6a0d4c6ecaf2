package org.puente.routes.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * One structured log line per exchange event (logger {@code puente.exchange}), with the message
 * id, correlation id, type, country and route in the MDC — metadata only, never payload content —
 * and the most recent refusals for the operators' dashboard.
 */
public final class ExchangeJournal {
    /** MDC keys of the gateway's log lines (docs/operations.md lists them). */
    public static final String MESSAGE_ID = "messageId";
    public static final String CORRELATION_ID = "correlationId";
    public static final String MESSAGE_TYPE = "messageType";
    public static final String COUNTRY = "country";
    public static final String ROUTE_ID = "routeId";
    public static final String EVENT = "event";
    public static final String ERROR_CODE = "errorCode";
    /** Camel's own MDC key for the route of the exchange being processed (camel.main.useMdcLogging). */
    static final String CAMEL_ROUTE_ID = "camel.routeId";

    private static final Logger LOG = LoggerFactory.getLogger("puente.exchange");
    private static final int RECENT = 50;

    /** A refusal as the dashboard lists it: when, which way, what type, which code. */
    public record Refusal(Instant at, String direction, String messageType, String code) {
    }

    private final String country;
    private final Clock clock = Clock.systemUTC();
    private final Deque<Refusal> recent = new ArrayDeque<>(RECENT);

    public ExchangeJournal(String country) {
        this.country = country;
    }

    void accepted(EnvelopeHeader h) {
        log(Level.INFO, h, "agency-submit", "SUBMITTED", null, "submission accepted into the outbox");
    }

    void rejected(String messageType, ErrorCode code) {
        remember(GatewayMetrics.OUTBOUND, messageType, code);
        log(Level.WARN, null, messageType, "agency-submit", "REJECTED", code, "submission refused");
    }

    void sealed(EnvelopeHeader h) {
        log(Level.DEBUG, h, "agency-submit", "SEALED", null, "envelope sealed for the peer");
    }

    void receipted(EnvelopeHeader h) {
        log(Level.INFO, h, "work-peer-envelope", "RECEIPTED", null, "peer receipted the envelope");
    }

    void sendFailed(EnvelopeHeader h, ErrorCode code, boolean retrying) {
        if (!retrying) {
            remember(GatewayMetrics.OUTBOUND, h.messageType(), code);
        }
        log(retrying ? Level.INFO : Level.WARN, h, "work-peer-envelope", retrying ? "RETRY" : "SEND_FAILED", code,
                retrying ? "send failed on the road, retrying later" : "peer refused the message, not retried");
    }

    void expired(EnvelopeHeader h) {
        remember(GatewayMetrics.OUTBOUND, h.messageType(), ErrorCode.MESSAGE_EXPIRED);
        log(Level.WARN, h, "work-peer-envelope-expiry", "EXPIRED", ErrorCode.MESSAGE_EXPIRED,
                "time-to-live ran out before a receipt: dead letter");
    }

    void stored(EnvelopeHeader h) {
        log(Level.INFO, h, "peer-envelopes", "STORED", null, "envelope from the peer verified and stored");
    }

    void refused(String messageType, ErrorCode code) {
        remember(GatewayMetrics.INBOUND, messageType, code);
        log(Level.WARN, null, messageType, "peer-envelopes", "PEER_REJECTED", code, "envelope from the peer refused");
    }

    void duplicate(EnvelopeHeader h) {
        log(Level.INFO, h, "peer-envelopes", "DUPLICATE", null, "duplicate envelope answered with its original receipt");
    }

    void handedOver(EnvelopeHeader h) {
        log(Level.INFO, h, "agency-inbox", "DELIVERED", null, "message handed over to the receiving agency");
    }

    void acknowledged(EnvelopeHeader h) {
        log(Level.INFO, h, "agency-acknowledge", "ACKNOWLEDGED", null, "receiving agency acknowledged the message");
    }

    void noticeSent(EnvelopeHeader h) {
        log(Level.INFO, h, "work-delivery-notice", "NOTICE_SENT", null, "delivery notice answered by the peer");
    }

    void deliveredToAgency(EnvelopeHeader h) {
        log(Level.INFO, h, "peer-notices", "DELIVERED", null, "peer notice: the receiving agency has it");
    }

    void answered(EnvelopeHeader h, org.puente.model.answer.BusinessStatus status) {
        log(Level.INFO, h, "peer-notices", "ANSWERED", null, "peer notice: the receiving agency answered " + status);
    }

    /** The latest refusals (submissions, envelopes, sends, expiries), newest first. */
    public List<Refusal> recentRefusals() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    private void remember(String direction, String messageType, ErrorCode code) {
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeLast();
            }
            recent.addFirst(new Refusal(clock.instant(), direction, messageType == null ? "unknown" : messageType,
                    code.code()));
        }
    }

    private void log(Level level, EnvelopeHeader h, String route, String event, ErrorCode code, String text) {
        log(level, h, h == null ? null : h.messageType(), route, event, code, text);
    }

    private void log(Level level, EnvelopeHeader h, String messageType, String route, String event, ErrorCode code,
                     String text) {
        if (!LOG.isEnabledForLevel(level)) {
            return;
        }
        String[] keys = {MESSAGE_ID, CORRELATION_ID, MESSAGE_TYPE, COUNTRY, EVENT, ERROR_CODE, ROUTE_ID};
        String[] previous = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            previous[i] = MDC.get(keys[i]);
        }
        try {
            put(MESSAGE_ID, h == null ? null : h.messageId().toString());
            put(CORRELATION_ID, h == null ? null : h.correlationId());
            put(MESSAGE_TYPE, messageType);
            put(COUNTRY, country);
            put(EVENT, event);
            put(ERROR_CODE, code == null ? null : code.code());
            // On a Camel thread the route is already in the MDC (mapped to routeId in the JSON);
            // events recorded on the store writer thread name the route that caused them.
            put(ROUTE_ID, MDC.get(CAMEL_ROUTE_ID) == null ? route : null);
            LOG.atLevel(level).log(text);
        } finally {
            for (int i = 0; i < keys.length; i++) {
                put(keys[i], previous[i]);
            }
        }
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
