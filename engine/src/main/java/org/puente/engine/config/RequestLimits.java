package org.puente.engine.config;

/**
 * The default largest request body of each listener, derived from the largest payload: what a
 * legitimate caller can need, and no more, so one request cannot fill the heap.
 */
final class RequestLimits {
    /** Operations requests carry a reason or nothing: 64 KiB is generous. */
    static final long OPS = 64L * 1024;
    /** Header fields, JSON or SOAP envelope around a document, and CMS overhead around a payload. */
    private static final long OVERHEAD = 128L * 1024;

    private RequestLimits() {
    }

    /**
     * Twice the largest document: a SOAP document may arrive with its JSON text escaped (every
     * quote an {@code &quot;}), and a batch of small messages may total that much.
     */
    static long agency(long maxPayloadBytes) {
        return 2 * (maxPayloadBytes + OVERHEAD);
    }

    /**
     * One envelope of the largest payload, base64-encoded inside the peer protocol's JSON (4/3),
     * or a batch of smaller ones (the sender's batches carry at most 4 MiB of envelopes unless one
     * message is larger), plus 1 MiB for the routing headers of up to 500 items.
     */
    static long peer(long maxPayloadBytes) {
        long envelope = maxPayloadBytes + OVERHEAD;
        return Math.max(envelope, 4L * 1024 * 1024) / 3 * 4 + 1024L * 1024;
    }

    /**
     * The bytes of documents a heap of {@code maxHeapBytes} can validate, seal and store at once:
     * a twelfth of it. LargePayloadTest measured a 32 MiB submission passing with the gateway at
     * {@code -Xmx384m} (12 times) and failing at 320m (10 times), the gateway's own ~100 MiB included.
     */
    static long processing(long maxHeapBytes) {
        return maxHeapBytes / 12;
    }
}
