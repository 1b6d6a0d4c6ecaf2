package org.puente.routes.exchange;

/**
 * The operator's switch for outbound delivery: while suspended, submissions are still accepted
 * and queue in the outbox, and nothing is sent to the peer.
 */
public final class DispatchControl {
    private volatile boolean suspended;
    private volatile String reason;

    public boolean isSuspended() {
        return suspended;
    }

    public String reason() {
        return reason;
    }

    public void suspend(String why) {
        reason = why;
        suspended = true;
    }

    public void resume() {
        suspended = false;
        reason = null;
    }
}
