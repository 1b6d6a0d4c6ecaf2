package org.puente.routes.camel;

import java.util.Locale;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the exception that stopped a SOAP route into its fault, as {@link ApiErrorResponder} does
 * for REST: expected failures with their code, defects as {@code internal_error} with a logged
 * reference and never a stack trace. The CXF consumer sends a fault found in the body.
 */
public final class SoapFaultResponder {
    private static final Logger LOG = LoggerFactory.getLogger(SoapFaultResponder.class);

    private final ApiErrorResponder.ErrorListener listener;

    public SoapFaultResponder(ApiErrorResponder.ErrorListener listener) {
        this.listener = listener;
    }

    public void respond(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Locale locale = exchange.getProperty(GwProperties.LOCALE, Locale.ENGLISH, Locale.class);
        PuenteException e;
        if (caught instanceof PuenteException pe) {
            e = pe;
        } else {
            String reference = UUID.randomUUID().toString();
            LOG.error("internal error, reference {}", reference, caught);
            e = new PuenteException(ErrorCode.INTERNAL_ERROR, reference);
        }
        listener.answered(exchange.getProperty(GwProperties.OPERATION, String.class), e);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(SoapFaults.fault(e, locale));
    }
}
