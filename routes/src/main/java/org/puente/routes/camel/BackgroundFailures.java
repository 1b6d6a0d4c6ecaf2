package org.puente.routes.camel;

import org.apache.camel.Exchange;
import org.puente.model.error.PuenteException;
import org.puente.routes.ops.FailureListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a failed background cycle (dispatch, notices, push). The work itself is safe in the
 * database; this makes the failure visible: a log line with the route and the error code, and a
 * counter for alerts.
 */
public final class BackgroundFailures {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundFailures.class);

    private final FailureListener listener;

    public BackgroundFailures(FailureListener listener) {
        this.listener = listener;
    }

    public void record(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String failing = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        String route = failing != null ? failing : exchange.getFromRouteId();
        if (t instanceof PuenteException pe) {
            LOG.warn("route {} cycle failed ({}); its work stays queued and is retried: {}", route, pe.errorCode().code(),
                    pe.getMessage());
            listener.failed(route, pe.errorCode().code());
        } else {
            LOG.error("route {} cycle failed with a defect; its work stays queued and is retried", route, t);
            listener.failed(route, "internal_error");
        }
    }
}
