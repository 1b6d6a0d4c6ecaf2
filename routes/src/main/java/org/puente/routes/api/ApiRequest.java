package org.puente.routes.api;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.puente.engine.security.ClientPrincipal;

/**
 * A request as the gateway core sees it, after the edge has authenticated the caller and dropped
 * every transport header: only these typed inputs reach the handlers.
 *
 * @param operation      the API operation (method name of the resource interface)
 * @param caller         who is calling, from its TLS client certificate
 * @param params         path and query parameters by name
 * @param locale         English or Spanish, from {@code Accept-Language}
 * @param contentType    the request's media type, if any
 * @param body           the request body (empty when none)
 * @param idempotencyKey the {@code Idempotency-Key} header, if given
 */
public record ApiRequest(String operation, ClientPrincipal caller, Map<String, String> params, Locale locale,
                         String contentType, byte[] body, String idempotencyKey) {

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name)).filter(s -> !s.isBlank());
    }
}
