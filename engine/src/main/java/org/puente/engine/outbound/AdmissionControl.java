package org.puente.engine.outbound;

import java.util.concurrent.atomic.AtomicLong;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Decides whether the gateway takes more work: refuses oversized documents (413), sheds load
 * when the undelivered backlog passes its bound (429), and refuses everything while the gateway
 * is not ready (503). The backlog figure is refreshed from the database by the health monitor
 * and counted up locally between refreshes, so admission costs no query.
 */
public final class AdmissionControl {
    /** Room for the header fields around the payload in a submission document. */
    private static final long DOCUMENT_OVERHEAD = 16 * 1024;

    private final long maxPayloadBytes;
    private final long maxBacklog;
    private final AtomicLong backlog = new AtomicLong();
    private volatile String notReadyReason = "starting";

    public AdmissionControl(long maxPayloadBytes, long maxBacklog) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxBacklog = maxBacklog;
    }

    public void admit(long documentBytes) {
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
