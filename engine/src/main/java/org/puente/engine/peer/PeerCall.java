package org.puente.engine.peer;

import org.puente.model.error.ErrorCode;

/**
 * The outcome of one call to the peer gateway: answered, or failed on the road (retry) or for
 * good (the request itself was refused; retrying the same request cannot help).
 */
public record PeerCall<T>(Kind kind, T answer, ErrorCode error, String detail) {

    /** How a call ended. */
    public enum Kind {
        ANSWERED,
        TRANSPORT_ERROR,
        TRANSPORT_ERROR_NO_RETRY
    }

    public static <T> PeerCall<T> answered(T answer) {
        return new PeerCall<>(Kind.ANSWERED, answer, null, null);
    }

    public static <T> PeerCall<T> retry(ErrorCode error, String detail) {
        return new PeerCall<>(Kind.TRANSPORT_ERROR, null, error, detail);
    }

    public static <T> PeerCall<T> noRetry(ErrorCode error, String detail) {
        return new PeerCall<>(Kind.TRANSPORT_ERROR_NO_RETRY, null, error, detail);
    }
}
