package org.puente.engine.security;

import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * TLS contexts of the gateway: TLS 1.3 preferred, TLS 1.2 allowed (DESIGN.md), the gateway's TLS
 * key, and per listener the trust of whoever may call it. Protocols and cipher suites are pinned
 * in the context itself, so every engine it makes (Undertow's listeners, the JDK HTTP client)
 * offers only them, whatever the framework around it configures.
 *
 * <p>Implementation note: CXF's Undertow transport computes no cipher-suite list for a listener
 * given a ready SSLContext (it only does for key and trust managers), so Undertow would enable
 * the JDK's defaults, which in TLS 1.2 include CBC suites with SHA-1 and SHA-2 MACs. The context
 * returned here sets protocols and suites on every engine it creates instead.
 */
public final class TlsContexts {
    /** Protocols enabled on every listener and client, best first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** Protocols disabled explicitly (CXF Undertow ignores the SSLContext's protocol choice). */
    public static final List<String> EXCLUDED_PROTOCOLS = List.of("SSLv3", "TLSv1", "TLSv1.1");
    /**
     * TLS 1.3's AEAD suites, then TLS 1.2's AEAD suites with ephemeral elliptic-curve key exchange
     * (Mozilla's "intermediate" profile without its finite-field DHE suites): no CBC, no SHA-1, no
     * static RSA key exchange. ECDSA first (the sample and the default profile use EC keys), RSA
     * for the RSA profile.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    /**
     * Key-exchange groups (the JDK's {@code jdk.tls.namedGroups}): elliptic curves only, no
     * finite-field groups (no partner needs them). Set by the gateway's main class before any TLS
     * is used, unless the operator set it.
     */
    public static final String NAMED_GROUPS = "x25519,secp256r1,secp384r1,x448,secp521r1";

    private TlsContexts() {
    }

    public static SSLContext create(KeyManager[] keyManagers, TrustManager trustManager) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, new TrustManager[] {trustManager}, new SecureRandom());
            return new PinnedContext(ctx);
        } catch (GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "TLS context: " + e.getMessage());
        }
    }

    /** Client-side parameters: only our protocols and suites, and the server's name checked against the URL's host. */
    public static SSLParameters clientParameters(SSLContext ctx) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        pin(p);
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }

    /** Restricts parameters to {@link #PROTOCOLS} and those of {@link #CIPHER_SUITES} this JDK supports. */
    static void pin(SSLParameters p) {
        p.setProtocols(PROTOCOLS.toArray(String[]::new));
        p.setCipherSuites(CIPHER_SUITES.toArray(String[]::new));
        p.setUseCipherSuitesOrder(true);
    }

    /** An SSLContext whose engines and sockets have only the pinned protocols and suites enabled. */
    private static final class PinnedContext extends SSLContext {
        PinnedContext(SSLContext delegate) {
            super(new Spi(delegate), delegate.getProvider(), delegate.getProtocol());
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;

        Spi(SSLContext delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return pinned(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return pinned(delegate.createSSLEngine(host, port));
        }

        private static SSLEngine pinned(SSLEngine engine) {
            SSLParameters p = engine.getSSLParameters();
            pin(p);
            p.setCipherSuites(Arrays.stream(p.getCipherSuites())
                    .filter(s -> Arrays.asList(engine.getSupportedCipherSuites()).contains(s)).toArray(String[]::new));
            engine.setSSLParameters(p);
            return engine;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            SSLParameters p = delegate.getDefaultSSLParameters();
            pin(p);
            return p;
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }
}
