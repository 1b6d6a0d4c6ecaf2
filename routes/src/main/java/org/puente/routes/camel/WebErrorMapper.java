package org.puente.routes.camel;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Locale;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.api.AgencyHandler;
import org.puente.engine.api.ErrorBody;
import org.puente.engine.api.Json;

/**
 * Answers the errors CXF raises before a request reaches a route (unknown path, wrong method,
 * unacceptable media type) with the same JSON error body as everything else, instead of
 * Undertow's HTML page.
 */
public final class WebErrorMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException exception) {
        int status = exception.getResponse() == null ? 500 : exception.getResponse().getStatus();
        PuenteException e = switch (status) {
            case 404, 405 -> new PuenteException(ErrorCode.NOT_FOUND, "operation", "(this path and method)");
            case 406, 415 -> new PuenteException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "(request)", AgencyHandler.JSON);
            case 413 -> new PuenteException(ErrorCode.PAYLOAD_TOO_LARGE, "?", "?");
            default -> new PuenteException(ErrorCode.INTERNAL_ERROR, "http-" + status);
        };
        return Response.status(status).entity(Json.write(ErrorBody.of(e, Locale.ENGLISH)))
                .type(AgencyHandler.JSON).build();
    }
}
