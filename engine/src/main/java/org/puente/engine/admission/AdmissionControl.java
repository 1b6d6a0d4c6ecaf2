package org.puente.engine.admission;

import java.util.concurrent.atomic.AtomicLong;
import org.puente.engine.config.GatewayConfig;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether the gateway takes more work: refuses oversized documents (413), sheds load
 * when the undelivered backlog passes its bound (429), and refuses everything while the gateway
 * is not ready (503). The backlog figure is refreshed from the database by the health monitor
 * and counted up locally between refreshes, so admission costs no query.
 *
 * <p>It also bounds the heap that documents being processed take. Validating, sealing and
 * storing a submission needs about ten times its size in heap (docs/BENCHMARKS.md, "Large
 * payloads"); without a bound, one large document too many is an OutOfMemoryError, answered
 * {@code 500 internal_error}, in whatever thread met it. Each admitted document holds its size
 * against the processing budget until its {@link Ticket} is closed: a document that would pass
 * the budget while others are in process is shed with {@code 429 overloaded}, and one larger
 * than the whole budget is refused {@code 413 payload_too_large}: this heap can never take it.
 */
public final class AdmissionControl {
    /** Room for the header fields around the payload in a submission document. */
    private static final long DOCUMENT_OVERHEAD = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionControl.class);

    private final long maxPayloadBytes;
    private final long maxBacklog;
    private final ByteBudget processing;
    private final java.util.Map<String, ByteBudget> bodies = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong backlog = new AtomicLong();
    private volatile String notReadyReason = "starting";

    /**
     * @param processingBytes bytes of documents validated, sealed and stored at once
     *                        ({@code puente.limits.processing-bytes})
     */
    public AdmissionControl(long maxPayloadBytes, long maxBacklog, long processingBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxBacklog = maxBacklog;
        this.processing = new ByteBudget(processingBytes);
    }

    /** The gateway's admission, warning when its payload limit is more than its heap can process. */
    public static AdmissionControl of(GatewayConfig.Limits limits) {
        AdmissionControl a = new AdmissionControl(limits.maxPayloadBytes(), limits.maxOutboxBacklog(), limits.processingBytes());
        if (a.maxDocumentBytes() > a.processingBytes()) {
            LOG.warn("puente.limits.max-payload-bytes ({} bytes) is more than this gateway can process"
                    + " (puente.limits.processing-bytes: {} bytes, by default a twelfth of the heap):"
                    + " larger documents are refused with payload_too_large; give the JVM about twelve times"
                    + " the largest payload (-Xmx), or lower the limit", a.maxPayloadBytes, a.processingBytes());
        }
        return a;
    }

    /** What an admitted document holds of the processing budget; closing it gives it back. */
    @FunctionalInterface
    public interface Ticket extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Admits one document into processing, or throws why not.
     *
     * @throws PuenteException {@code not_ready}, {@code payload_too_large} (above the payload limit
     *         or the whole processing budget), {@code overloaded} (backlog or budget full now)
     */
    public Ticket admit(long documentBytes) {
        String reason = notReadyReason;
        if (reason != null) {
            throw new PuenteException(ErrorCode.NOT_READY, reason);
        }
        if (documentBytes > maxPayloadBytes + DOCUMENT_OVERHEAD) {
            throw new PuenteException(ErrorCode.PAYLOAD_TOO_LARGE, documentBytes, maxPayloadBytes);
        }
        if (backlog.incrementAndGet() > maxBacklog) {
            backlog.decrementAndGet();
            throw new PuenteException(ErrorCode.OVERLOADED);
        }
        try {
            return hold(documentBytes);
        } catch (PuenteException e) {
            backlog.decrementAndGet();
            throw e;
        }
    }

    /**
     * Holds {@code bytes} of the processing budget (a submitted document, or a batch of envelopes
     * from the peer) until the ticket is closed.
     *
     * @throws PuenteException {@code payload_too_large} when the bytes are more than the whole
     *         budget, {@code overloaded} when they are more than what is left of it now
     */
    public Ticket hold(long bytes) {
        return processing.hold(bytes);
    }

    /**
     * As {@link #hold}, waiting up to {@code patience} for room when the bytes do not fit now:
     * for work that has nobody to answer {@code 429} to (a batch of envelopes on its way to the peer).
     */
    public Ticket holdWithin(long bytes, java.time.Duration patience) {
        return processing.holdWithin(bytes, patience);
    }

    /** Bytes of documents in process now. */
    public long bytesInProcess() {
        return processing.used();
    }

    public long processingBytes() {
        return processing.capacity();
    }

    /**
     * Request bodies in the heap on one listener ({@code agency}, {@code peer}, {@code ops}), from
     * before it reads the first byte of one until its exchange ends: a body's length is held before
     * it is read (its share grows as it is read when it declares none), so that requests sent at
     * once cannot together take more heap than this, however many there are. As large as the
     * processing budget; a body larger than it (up to the listener's limit: a peer batch carries
     * its envelopes in base64) is read while it is the only one held. Each listener has its own,
     * so that a flood of agency submissions cannot keep the peer gateway's batches or the
     * operators' requests out.
     */
    public ByteBudget bodies(String listener) {
        return bodies.computeIfAbsent(listener, l -> ByteBudget.admittingOneLarger(processing.capacity()));
    }

    public long maxDocumentBytes() {
        return maxPayloadBytes + DOCUMENT_OVERHEAD;
    }

    public long maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** The database's count of undelivered messages (refreshed periodically). */
    public void backlogMeasured(long pending) {
        backlog.set(pending);
    }

    public void ready() {
        notReadyReason = null;
    }

    public void notReady(String reason) {
        notReadyReason = reason;
    }

    public boolean isReady() {
        return notReadyReason == null;
    }

    public String notReadyReason() {
        return notReadyReason;
    }
}
