package org.puente.routes.camel;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.configuration.jsse.SSLContextServerParameters;
import org.apache.cxf.configuration.security.ClientAuthentication;
import org.apache.cxf.transport.http_undertow.UndertowHTTPServerEngineFactory;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.security.TlsContexts;

/**
 * The CXF bus of one gateway and the mutual-TLS parameters of its Undertow listeners.
 *
 * <p>Implementation note: CXF's Undertow engine factory keeps TLS parameters in a JVM-wide map
 * keyed by port, read when a consumer first binds the port, so every port is secured here before
 * any route starts. Undertow ignores the SSLContext's protocol choice: protocols are restricted
 * explicitly (and the context pins protocols and cipher suites on every engine, see
 * {@code TlsContexts}). Each port gets a {@link ListenerGuard} in front of CXF, which identifies the
 * caller and bounds the request body before anything is read. Camel does not stop a bus it did not create, so this service shuts it down (and
 * frees the ports) when the Camel context stops.
 */
public final class CxfListeners extends ServiceSupport {
    private final Bus bus;
    private final UndertowHTTPServerEngineFactory engines;
    private final List<Integer> ports = new ArrayList<>();
    private final BodyLimit bodyLimit = new BodyLimit();

    public CxfListeners() {
        this.bus = BusFactory.newInstance().createBus();
        this.engines = new UndertowHTTPServerEngineFactory(bus);
        bus.getInInterceptors().add(bodyLimit);
    }

    public Bus bus() {
        return bus;
    }

    /**
     * Requires a client certificate on {@code port}, trusted by the given context's trust manager,
     * and puts the guard in front of every request.
     */
    public void secure(String host, int port, SSLContext context, ListenerGuard guard) {
        SSLContextServerParameters tls = new SSLContextServerParameters(context);
        ClientAuthentication auth = new ClientAuthentication();
        auth.setRequired(true);
        auth.setWant(true);
        tls.setClientAuthentication(auth);
        tls.setIncludeProtocols(TlsContexts.PROTOCOLS);
        tls.setExcludeProtocols(TlsContexts.EXCLUDED_PROTOCOLS);
        try {
            engines.setTLSServerParametersForPort(host, port, tls);
            engines.retrieveUndertowHTTPServerEngine(port).setHandlers(List.of(guard));
            bodyLimit.limit(port, guard.policy().maxBodyBytes());
            ports.add(port);
        } catch (GeneralSecurityException | IOException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "TLS listener on port " + port + ": " + e.getMessage());
        }
    }

    @Override
    protected void doStop() {
        bus.shutdown(true);
        ports.forEach(UndertowHTTPServerEngineFactory::destroyForPort);
    }
}
