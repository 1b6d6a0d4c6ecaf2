package org.puente.routes.camel;

import io.undertow.util.AttachmentKey;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much of one request body has been read, for {@link ListenerGuard}'s deadline: a body whose
 * declared length has all been read has arrived, even if its reader stopped before the end of the
 * stream (a SOAP reader stops at the envelope's end), and is not cut while it is processed.
 * {@link BodyLimit}'s stream counts into it on the thread that reads the body.
 */
final class BodyDeadline {
    static final AttachmentKey<BodyDeadline> KEY = AttachmentKey.create(BodyDeadline.class);

    private final long declared;
    private final AtomicLong read = new AtomicLong();

    /** @param declared the body's declared length, or -1 if it was not declared */
    BodyDeadline(long declared) {
        this.declared = declared;
    }

    void read(long n) {
        read.addAndGet(n);
    }

    /** Whether the whole declared body has been read (never, for a body of undeclared length). */
    boolean arrived() {
        return declared >= 0 && read.get() >= declared;
    }
}
