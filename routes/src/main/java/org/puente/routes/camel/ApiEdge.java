package org.puente.routes.camel;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.cxf.common.message.CxfConstants;
import org.apache.cxf.security.transport.TLSSessionInfo;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.ErrorMessages;
import org.puente.model.error.PuenteException;
import org.puente.routes.api.AgencyApi;
import org.puente.routes.api.ApiRequest;
import org.puente.engine.security.ClientPrincipal;

/**
 * Where an HTTP request becomes a gateway request: identifies the caller from its TLS client
 * certificate, copies the few inputs the operation needs into a typed {@link ApiRequest}, and
 * drops every transport header so nothing an outsider sent can steer a later step.
 */
public final class ApiEdge {
    /** Identifies the caller of one listener from its verified certificate. */
    @FunctionalInterface
    public interface Identifier {
        ClientPrincipal identify(X509Certificate certificate);
    }

    private final Identifier identifier;
    private final List<String> params;

    /**
     * @param identifier maps the certificate to a caller, or throws (403) for one not allowed here
     * @param params     the path and query parameter names the listener's operations use
     */
    public ApiEdge(Identifier identifier, List<String> params) {
        this.identifier = identifier;
        this.params = List.copyOf(params);
    }

    public void admit(Exchange exchange) {
        Message in = exchange.getIn();
        String operation = in.getHeader(CxfConstants.OPERATION_NAME, String.class);
        Locale locale = locale(in.getHeader(AgencyApi.ACCEPT_LANGUAGE, String.class));
        exchange.setProperty(GwProperties.LOCALE, locale);
        exchange.setProperty(GwProperties.OPERATION, operation);
        X509Certificate certificate = clientCertificate(in);
        Map<String, String> values = new HashMap<>();
        for (String p : params) {
            String v = in.getHeader(p, String.class);
            if (v != null) {
                values.put(p, v);
            }
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        String idempotencyKey = in.getHeader(AgencyApi.IDEMPOTENCY_KEY, String.class);
        byte[] body = in.getBody(byte[].class);
        in.removeHeaders("*");
        if (certificate == null) {
            throw new PuenteException(ErrorCode.CLIENT_NOT_AUTHENTICATED);
        }
        ClientPrincipal caller = identifier.identify(certificate);
        ApiRequest request = new ApiRequest(operation, caller, Map.copyOf(values), locale, contentType,
                body == null ? new byte[0] : body, idempotencyKey);
        exchange.setProperty(GwProperties.REQUEST, request);
        in.setBody(request);
    }

    private static X509Certificate clientCertificate(Message in) {
        org.apache.cxf.message.Message cxf = in.getHeader(CxfConstants.CAMEL_CXF_MESSAGE, org.apache.cxf.message.Message.class);
        TLSSessionInfo tls = cxf == null ? null : cxf.get(TLSSessionInfo.class);
        Certificate[] chain = tls == null ? null : tls.getPeerCertificates();
        return chain != null && chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    }

    static Locale locale(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return Locale.ENGLISH;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                String lang = range.getRange().split("-")[0];
                if ("es".equals(lang)) {
                    return ErrorMessages.SPANISH;
                }
                if ("en".equals(lang)) {
                    return Locale.ENGLISH;
                }
            }
        } catch (IllegalArgumentException e) {
            return Locale.ENGLISH;
        }
        return Locale.ENGLISH;
    }
}
