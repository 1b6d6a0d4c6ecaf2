package org.puente.engine.observe;

import java.time.Instant;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;

/**
 * What happens to messages, told after it is committed: the operations side turns it into
 * meters, log lines and the dashboard's journal. The engine knows no metrics library.
 */
public interface ExchangeObserver {
    // --- outbound ---
    void accepted(EnvelopeHeader h);

    void rejected(String messageType, ErrorCode code);

    void sealed(EnvelopeHeader h);

    void receipted(EnvelopeHeader h, Instant at);

    void sendFailed(EnvelopeHeader h, ErrorCode code, boolean retrying);

    void expired(EnvelopeHeader h);

    /** The peer's signed notice: the receiving agency has the message. */
    void deliveredToAgency(EnvelopeHeader h, Instant at);

    /** The peer's signed notice of the receiving agency's business answer to a message we sent. */
    default void answered(EnvelopeHeader h, org.puente.model.answer.BusinessStatus status) {
    }

    // --- inbound ---
    void stored(EnvelopeHeader h);

    void refused(String messageType, ErrorCode code);

    void duplicate(EnvelopeHeader h);

    void handedOver(EnvelopeHeader h);

    void acknowledged(EnvelopeHeader h);

    /** The peer answered our signed delivery notice: it has recorded the delivery. */
    void noticeSent(EnvelopeHeader h);

    /** Observes nothing (tests, tools). */
    ExchangeObserver NONE = new ExchangeObserver() {
        @Override
        public void accepted(EnvelopeHeader h) {
        }

        @Override
        public void rejected(String messageType, ErrorCode code) {
        }

        @Override
        public void sealed(EnvelopeHeader h) {
        }

        @Override
        public void receipted(EnvelopeHeader h, Instant at) {
        }

        @Override
        public void sendFailed(EnvelopeHeader h, ErrorCode code, boolean retrying) {
        }

        @Override
        public void expired(EnvelopeHeader h) {
        }

        @Override
        public void deliveredToAgency(EnvelopeHeader h, Instant at) {
        }

        @Override
        public void stored(EnvelopeHeader h) {
        }

        @Override
        public void refused(String messageType, ErrorCode code) {
        }

        @Override
        public void duplicate(EnvelopeHeader h) {
        }

        @Override
        public void handedOver(EnvelopeHeader h) {
        }

        @Override
        public void acknowledged(EnvelopeHeader h) {
        }

        @Override
        public void noticeSent(EnvelopeHeader h) {
        }
    };
}
