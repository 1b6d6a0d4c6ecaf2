package org.puente.routes.camel;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.cxf.transport.http_undertow.CXFUndertowHttpHandler;
import org.puente.engine.admission.ByteBudget;
import org.puente.engine.api.ErrorBody;
import org.puente.engine.api.Json;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.config.GatewayConfig;
import org.puente.engine.security.ClientPrincipal;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.api.AgencyApi;
import org.puente.routes.api.AgencyHandler;
import org.puente.routes.ops.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * The first step of every request on one listener, before Undertow reads a byte of its body (and
 * before it sends {@code 100 Continue}): identifies the caller from its verified TLS certificate,
 * checks the caller may use this listener at all, and refuses a body that says it is larger than
 * the listener's limit. A body whose length is not declared (chunked, or HTTP/2 without a
 * length) is cut at the limit while it is read ({@link BodyLimit}). Refusals are the usual error bodies (a SOAP
 * fault on the SOAP path), and the connection is closed rather than drained, so a 1 GiB body
 * costs the gateway neither memory nor the time to read it.
 *
 * <p>Last, it holds the declared length of the body against the gateway's budget for request
 * bodies on its listener ({@link org.puente.engine.admission.AdmissionControl#bodies(String)}) until the exchange ends;
 * a body that does not fit what is left of it now is answered {@code 429 overloaded} unread, so
 * that many large requests sent at once cannot together take more heap than the budget. That
 * refusal's body is read and discarded (it is within the listener's limit, and costs no heap), so
 * that a client still sending it reads the answer. A body of undeclared length has its share grown
 * as it is read ({@link BodyLimit}). A body must have arrived by its deadline
 * ({@link GatewayConfig.BodyPace}); a client that sends it slower, or stops, has its connection
 * closed there ({@code request_timeout} in the metrics), so that it holds its share no longer.
 *
 * <p>Implementation note: CXF's Undertow transport runs these handlers in front of its servlet,
 * on Undertow's I/O thread; everything here is a lookup in memory, nothing blocks.
 */
public final class ListenerGuard implements CXFUndertowHttpHandler {
    /** Who may call a listener at all, before any operation looks at the request. */
    @FunctionalInterface
    public interface Admission {
        /** Throws {@code forbidden} for a caller that may not send this request here. */
        void admit(ClientPrincipal caller, String method, String path);
    }

    /**
     * One listener's rules.
     *
     * @param name         agency, peer or ops (metrics and messages)
     * @param maxBodyBytes the largest request body accepted
     * @param pace         how soon a body must have arrived
     * @param identifier   maps the verified certificate to a caller, or throws {@code forbidden}
     * @param admission    whether that caller may send this request here
     */
    public record Policy(String name, long maxBodyBytes, GatewayConfig.BodyPace pace, ApiEdge.Identifier identifier,
                         Admission admission) {
    }

    /**
     * How much of a refused body Undertow reads and discards so that the client can read the 413
     * (as Tomcat's maxSwallowSize); beyond it the connection is closed without an answer.
     */
    static final long SWALLOW = 1024 * 1024;

    /** The request's share of the body budget, held until the exchange ends. */
    static final AttachmentKey<ByteBudget.Held> BODY = AttachmentKey.create(ByteBudget.Held.class);
    private static final Logger LOG = LoggerFactory.getLogger(ListenerGuard.class);

    private final Policy policy;
    private final ByteBudget bodies;
    private final ErrorListener errors;
    private volatile HttpHandler next;

    /** @param bodies the gateway's budget for request bodies, shared by its listeners */
    public ListenerGuard(Policy policy, ByteBudget bodies, ErrorListener errors) {
        this.policy = policy;
        this.bodies = bodies;
        this.errors = errors;
    }

    /** Agency listener: agency systems; other clients of our CA only read the API's description. */
    public static Admission agencies() {
        return (caller, method, path) -> {
            if (caller.is(ClientEntry.Role.AGENCY)) {
                return;
            }
            if (Methods.GET_STRING.equals(method) && path.endsWith("/api/v1/openapi.json")) {
                return;
            }
            throw new PuenteException(ErrorCode.FORBIDDEN, "the agency API is for agency systems");
        };
    }

    /** Operations listener: operators and auditors (each operation checks which of them). */
    public static Admission operatorsAndAuditors() {
        return (caller, method, path) -> {
            if (!caller.is(ClientEntry.Role.OPERATOR) && !caller.is(ClientEntry.Role.AUDITOR)) {
                throw new PuenteException(ErrorCode.FORBIDDEN, "the operations API is for operators and auditors");
            }
        };
    }

    /** Anyone the identifier accepts (the peer listener: the peer gateway only). */
    public static Admission identified() {
        return (caller, method, path) -> {
        };
    }

    public Policy policy() {
        return policy;
    }

    @Override
    public void setNext(HttpHandler nextHandler) {
        this.next = nextHandler;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        try {
            X509Certificate certificate = clientCertificate(exchange);
            if (certificate == null) {
                throw new PuenteException(ErrorCode.CLIENT_NOT_AUTHENTICATED);
            }
            ClientPrincipal caller = policy.identifier().identify(certificate);
            policy.admission().admit(caller, exchange.getRequestMethod().toString(), exchange.getRequestPath());
            long declared = exchange.getRequestContentLength();
            if (declared > policy.maxBodyBytes()) {
                throw new PuenteException(ErrorCode.PAYLOAD_TOO_LARGE, declared, policy.maxBodyBytes());
            }
            Duration within = policy.pace().deadline(declared >= 0 ? declared : policy.maxBodyBytes());
            ByteBudget.Held body = bodies.hold(Math.max(0, declared));
            exchange.putAttachment(BODY, body);
            AtomicReference<XnioExecutor.Key> timer = new AtomicReference<>();
            exchange.addExchangeCompleteListener((done, nextListener) -> {
                XnioExecutor.Key key = timer.getAndSet(null);
                if (key != null) {
                    key.remove();
                }
                body.close();
                nextListener.proceed();
            });
            if (!exchange.isRequestComplete()) {
                timer.set(exchange.getIoThread().executeAfter(() -> cut(exchange, caller, within), within.toMillis(),
                        TimeUnit.MILLISECONDS));
            }
        } catch (PuenteException e) {
            refuse(exchange, e);
            return;
        }
        // A body of undeclared length is counted as CXF reads it (BodyLimit) and refused where it passes the
        // limit; past that Undertow discards at most SWALLOW bytes more, then closes the connection.
        exchange.setMaxEntitySize(policy.maxBodyBytes() + SWALLOW);
        next.handleRequest(exchange);
    }

    /**
     * At the body's deadline: a request whose body has not been read to its end has its connection
     * closed, which fails the read that waits for it and ends the exchange (its share of the budget
     * goes back; {@code SlowBodyTest}). Nothing is answered: the client is not reading.
     */
    private void cut(HttpServerExchange exchange, ClientPrincipal caller, Duration within) {
        if (exchange.isRequestComplete() || exchange.isComplete()) {
            return;
        }
        errors.answered(policy.name() + "-edge", new PuenteException(ErrorCode.REQUEST_TIMEOUT));
        LOG.warn("{} listener: the request body of {} ({} bytes declared) did not arrive within {}; connection closed",
                policy.name(), caller.clientId(), exchange.getRequestContentLength(), within);
        IoUtils.safeClose(exchange.getConnection());
    }

    private void refuse(HttpServerExchange exchange, PuenteException e) {
        errors.answered(policy.name() + "-edge", e);
        Locale locale = ApiEdge.locale(exchange.getRequestHeaders().getFirst(AgencyApi.ACCEPT_LANGUAGE));
        if (e.errorCode() == ErrorCode.OVERLOADED) {
            // a body within the limit, refused for now: read and discarded, so that the caller reads the answer
            exchange.setMaxEntitySize(policy.maxBodyBytes());
        } else if (!exchange.isRequestComplete()) {
            // Close instead of draining what the caller still sends (Undertow reads a persistent connection's rest).
            exchange.setPersistent(false);
        }
        byte[] body;
        if (exchange.getRequestPath().startsWith(AgencySoapEndpoint.PATH)) {
            exchange.setStatusCode(500);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/xml; charset=UTF-8");
            body = SoapFaults.envelope(e, locale).getBytes(StandardCharsets.UTF_8);
        } else {
            exchange.setStatusCode(ErrorBody.status(e));
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, AgencyHandler.JSON);
            body = Json.write(ErrorBody.of(e, locale));
        }
        exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
    }

    private static X509Certificate clientCertificate(HttpServerExchange exchange) {
        SSLSessionInfo tls = exchange.getConnection().getSslSessionInfo();
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.getPeerCertificates();
            return chain != null && chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (Exception e) {
            return null;
        }
    }
}
