package org.puente.routes.camel;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.cxf.common.message.CxfConstants;
import org.apache.cxf.security.transport.TLSSessionInfo;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.api.AgencyApi;
import org.puente.routes.api.SoapCall;
import org.puente.engine.security.ClientPrincipal;

/**
 * Where a SOAP request becomes a gateway request: the same identification as the REST edge (the
 * verified TLS client certificate mapped to a configured client), the language from
 * {@code Accept-Language}, the WSDL operation and its request object; every header is dropped.
 */
public final class SoapEdge {
    private final ApiEdge.Identifier identifier;

    public SoapEdge(ApiEdge.Identifier identifier) {
        this.identifier = identifier;
    }

    public void admit(Exchange exchange) {
        Message in = exchange.getIn();
        org.apache.cxf.message.Message cxf = in.getHeader(CxfConstants.CAMEL_CXF_MESSAGE, org.apache.cxf.message.Message.class);
        String operation = in.getHeader(CxfConstants.OPERATION_NAME, String.class);
        Locale locale = ApiEdge.locale(acceptLanguage(cxf));
        exchange.setProperty(GwProperties.LOCALE, locale);
        exchange.setProperty(GwProperties.OPERATION, operation);
        List<?> parts = in.getBody(List.class);
        Object request = parts == null || parts.isEmpty() ? null : parts.get(0);
        X509Certificate certificate = clientCertificate(cxf);
        in.removeHeaders("*");
        if (certificate == null) {
            throw new PuenteException(ErrorCode.CLIENT_NOT_AUTHENTICATED);
        }
        ClientPrincipal caller = identifier.identify(certificate);
        SoapCall call = new SoapCall(operation, caller, locale, request);
        exchange.setProperty(GwProperties.REQUEST, call);
        in.setBody(call);
    }

    /** The route of an operation: {@code Submit} is handled by {@code submit}. */
    public static String method(String operation) {
        return Character.toLowerCase(operation.charAt(0)) + operation.substring(1);
    }

    static String acceptLanguage(org.apache.cxf.message.Message cxf) {
        Object headers = cxf == null ? null : cxf.get(org.apache.cxf.message.Message.PROTOCOL_HEADERS);
        if (headers instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (AgencyApi.ACCEPT_LANGUAGE.equalsIgnoreCase(String.valueOf(e.getKey())) && e.getValue() instanceof List<?> v
                        && !v.isEmpty()) {
                    return String.valueOf(v.get(0));
                }
            }
        }
        return null;
    }

    private static X509Certificate clientCertificate(org.apache.cxf.message.Message cxf) {
        TLSSessionInfo tls = cxf == null ? null : cxf.get(TLSSessionInfo.class);
        Certificate[] chain = tls == null ? null : tls.getPeerCertificates();
        return chain != null && chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    }
}
