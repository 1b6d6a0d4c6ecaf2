package org.puente.routes.camel;

import io.undertow.servlet.spec.HttpServletRequestImpl;
import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.puente.engine.admission.ByteBudget;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Counts the bytes of a request body as CXF reads it and stops at the listener's limit: the part
 * of the bound that {@link ListenerGuard} cannot decide up front, for a body that does not declare
 * its length (chunked, or HTTP/2 without a content length). The read that passes the limit fails
 * with {@link Refused}, which the REST door answers {@code 413 payload_too_large} and the SOAP
 * door as the same fault; what was read so far is garbage at once. Such a body's share of the
 * gateway's body budget ({@link ListenerGuard}) grows as it is read; the read that finds no room
 * left fails the same way, {@code 429 overloaded}.
 *
 * <p>Implementation note: before CXF writes the answer it closes the request, and Undertow then
 * reads and discards what is left of the body, so that a client still sending can read the
 * answer (a socket closed with unread data resets the connection, and the answer with it). That
 * discarding is bounded by Undertow's own entity limit, which the guard sets
 * {@link ListenerGuard#SWALLOW} above this one: a client that stops within it gets its 413; one
 * that keeps streaming has its connection closed by Undertow, with no answer. Either way nothing
 * past the limit is kept.
 */
public final class BodyLimit extends AbstractPhaseInterceptor<Message> {
    private final Map<Integer, Long> limits = new ConcurrentHashMap<>();

    public BodyLimit() {
        super(Phase.RECEIVE);
    }

    /** The largest body accepted on the listener of {@code port}. */
    public void limit(int port, long maxBodyBytes) {
        limits.put(port, maxBodyBytes);
    }

    @Override
    public void handleMessage(Message message) {
        Object request = message.get(AbstractHTTPDestination.HTTP_REQUEST);
        InputStream body = message.getContent(InputStream.class);
        if (!(request instanceof HttpServletRequest http) || body == null) {
            return;
        }
        Long limit = limits.get(http.getLocalPort());
        if (limit != null) {
            ByteBudget.Held share = http instanceof HttpServletRequestImpl undertow
                    ? undertow.getExchange().getAttachment(ListenerGuard.BODY) : null;
            message.setContent(InputStream.class, new Counted(body, limit, share));
        }
    }

    /** A body refused while being read: past its listener's limit, or past what is left of the body budget. */
    public static final class Refused extends IOException {
        private final transient PuenteException refusal;

        Refused(String message, PuenteException refusal) {
            super(message);
            this.refusal = refusal;
        }

        static Refused tooLarge(long limit) {
            return new Refused("request body larger than " + limit + " bytes",
                    new PuenteException(ErrorCode.PAYLOAD_TOO_LARGE, "more than " + limit, limit));
        }

        public PuenteException refusal() {
            return refusal;
        }
    }

    /** Answers {@link Refused} on the REST doors: 413 or 429 with the usual error body. */
    public static final class Mapper implements jakarta.ws.rs.ext.ExceptionMapper<Refused> {
        private final org.puente.routes.ops.ErrorListener listener;

        public Mapper(org.puente.routes.ops.ErrorListener listener) {
            this.listener = listener;
        }

        @Override
        public jakarta.ws.rs.core.Response toResponse(Refused e) {
            listener.answered("body-limit", e.refusal());
            return jakarta.ws.rs.core.Response.status(org.puente.engine.api.ErrorBody.status(e.refusal()))
                    .entity(org.puente.engine.api.Json.write(org.puente.engine.api.ErrorBody.of(e.refusal(),
                            java.util.Locale.ENGLISH)))
                    .type(org.puente.routes.api.AgencyHandler.JSON).build();
        }
    }

    private static final class Counted extends FilterInputStream {
        /** How much a body of undeclared length adds to its share at a time. */
        private static final long GROWTH = 64 * 1024;
        private final long limit;
        private final ByteBudget.Held share;
        private long count;

        Counted(InputStream in, long limit, ByteBudget.Held share) {
            super(in);
            this.limit = limit;
            this.share = share;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws Refused {
            count += n;
            if (count > limit) {
                throw Refused.tooLarge(limit);
            }
            if (share != null && count > share.bytes()) {
                long need = count - share.bytes();
                try {
                    share.grow(Math.max(GROWTH, need));
                } catch (PuenteException noRoomForAStep) {
                    try {
                        share.grow(need); // a small body may still fit where a whole step does not
                    } catch (PuenteException e) {
                        throw new Refused("no room left for the request body", e);
                    }
                }
            }
        }
    }
}
