package org.puente.engine.security;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * TLS contexts of the gateway: TLS 1.3 preferred, TLS 1.2 allowed (DESIGN.md), the gateway's TLS
 * key, and per listener the trust of whoever may call it.
 */
public final class TlsContexts {
    /** Protocols enabled on every listener and client, best first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** Protocols disabled explicitly (CXF Undertow ignores the SSLContext's protocol choice). */
    public static final List<String> EXCLUDED_PROTOCOLS = List.of("SSLv3", "TLSv1", "TLSv1.1");

    private TlsContexts() {
    }

    public static SSLContext create(KeyManager[] keyManagers, TrustManager trustManager) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, new TrustManager[] {trustManager}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "TLS context: " + e.getMessage());
        }
    }

    /** Client-side parameters: only our protocols. */
    public static SSLParameters clientParameters(SSLContext ctx) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        p.setProtocols(PROTOCOLS.toArray(String[]::new));
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }
}
