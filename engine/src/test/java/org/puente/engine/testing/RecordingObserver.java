package org.puente.engine.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.puente.engine.observe.ExchangeObserver;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;

/** Records what the engine tells its observer, as "callback message-id" lines in call order. */
public final class RecordingObserver implements ExchangeObserver {
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    /** What was told so far, oldest first. */
    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    private void told(String callback, EnvelopeHeader h) {
        calls.add(callback + " " + h.messageId());
    }

    @Override
    public void accepted(EnvelopeHeader h) {
        told("accepted", h);
    }

    @Override
    public void rejected(String messageType, ErrorCode code) {
        calls.add("rejected " + messageType + " " + code.code());
    }

    @Override
    public void sealed(EnvelopeHeader h) {
        told("sealed", h);
    }

    @Override
    public void receipted(EnvelopeHeader h, Instant at) {
        told("receipted", h);
    }

    @Override
    public void sendFailed(EnvelopeHeader h, ErrorCode code, boolean retrying) {
        told("sendFailed", h);
    }

    @Override
    public void expired(EnvelopeHeader h) {
        told("expired", h);
    }

    @Override
    public void deliveredToAgency(EnvelopeHeader h, Instant at) {
        told("deliveredToAgency", h);
    }

    @Override
    public void answered(EnvelopeHeader h, org.puente.model.answer.BusinessStatus status) {
        synchronized (calls) {
            calls.add("answered " + h.messageId() + " " + status);
        }
    }

    @Override
    public void stored(EnvelopeHeader h) {
        told("stored", h);
    }

    @Override
    public void refused(String messageType, ErrorCode code) {
        calls.add("refused " + messageType + " " + code.code());
    }

    @Override
    public void duplicate(EnvelopeHeader h) {
        told("duplicate", h);
    }

    @Override
    public void handedOver(EnvelopeHeader h) {
        told("handedOver", h);
    }

    @Override
    public void acknowledged(EnvelopeHeader h) {
        told("acknowledged", h);
    }

    @Override
    public void noticeSent(EnvelopeHeader h) {
        told("noticeSent", h);
    }
}
