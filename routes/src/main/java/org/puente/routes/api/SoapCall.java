package org.puente.routes.api;

import java.util.Locale;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.security.ClientPrincipal;

/**
 * A SOAP request as the gateway core sees it, after the edge has authenticated the caller from
 * its TLS client certificate and dropped every transport header: the operation, the caller, the
 * language for error sentences and the request object generated from the WSDL.
 *
 * @param operation the WSDL operation, e.g. {@code Submit}
 * @param caller    who is calling, from its TLS client certificate
 * @param locale    English or Spanish, from {@code Accept-Language}
 * @param request   the operation's request element (JAXB object of the WSDL's schema)
 */
public record SoapCall(String operation, ClientPrincipal caller, Locale locale, Object request) {

    /** The request element, or a refusal when the body holds another element than the operation's. */
    public <T> T request(Class<T> type) {
        if (!type.isInstance(request)) {
            throw new PuenteException(ErrorCode.MALFORMED_XML, "the body of " + operation + " must be one " + type.getSimpleName());
        }
        return type.cast(request);
    }
}
