package org.puente.routes.camel;

import java.util.Locale;
import org.apache.camel.Exchange;
import org.puente.model.error.PuenteException;
import org.puente.routes.ops.ErrorListener;

/**
 * Turns the exception that stopped a SOAP route into its fault, as {@link ApiErrorResponder} does
 * for REST: expected failures with their code, defects as {@code internal_error} with a logged
 * reference and never a stack trace. The CXF consumer sends a fault found in the body.
 */
public final class SoapFaultResponder {
    private final ErrorListener listener;

    public SoapFaultResponder(ErrorListener listener) {
        this.listener = listener;
    }

    public void respond(Exchange exchange) {
        Locale locale = exchange.getProperty(GwProperties.LOCALE, Locale.ENGLISH, Locale.class);
        PuenteException e = ApiErrorResponder.refusal(exchange, listener);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(SoapFaults.fault(e, locale));
    }
}
