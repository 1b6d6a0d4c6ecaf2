package org.puente.routes.camel;

import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.api.AgencyHandler;
import org.puente.routes.ops.ErrorListener;
import org.puente.engine.api.ErrorBody;
import org.puente.engine.api.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the exception that stopped an API route into the JSON error answer. Expected failures
 * ({@link PuenteException}) are answered with their code; anything else is a defect: answered as
 * {@code internal_error} with a reference, and logged with that reference and its stack trace.
 */
public final class ApiErrorResponder {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorResponder.class);

    private final ErrorListener listener;

    public ApiErrorResponder(ErrorListener listener) {
        this.listener = listener;
    }

    public void respond(Exchange exchange) {
        Locale locale = exchange.getProperty(GwProperties.LOCALE, Locale.ENGLISH, Locale.class);
        PuenteException e = refusal(exchange, listener);
        Response response = Response.status(ErrorBody.status(e))
                .entity(Json.write(ErrorBody.of(e, locale)))
                .type(AgencyHandler.JSON)
                .build();
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(response);
    }

    /**
     * The refusal for the exception that stopped an API route (REST or SOAP): a {@link PuenteException}
     * as it is; anything else {@code internal_error} with a logged reference. Tells the listener.
     */
    static PuenteException refusal(Exchange exchange, ErrorListener listener) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        PuenteException e;
        if (caught instanceof PuenteException pe) {
            e = pe;
        } else {
            String reference = UUID.randomUUID().toString();
            LOG.error("internal error, reference {}", reference, caught);
            e = new PuenteException(ErrorCode.INTERNAL_ERROR, reference);
        }
        listener.answered(exchange.getProperty(GwProperties.OPERATION, String.class), e);
        return e;
    }
}
