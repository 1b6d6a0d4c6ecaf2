package org.puente.model.error;

/** The family an {@link ErrorCode} belongs to; it decides whether a failure is retried and how it is counted. */
public enum ErrorCategory {
    /** The message or request is wrong: the sender must change it. Never retried. */
    VALIDATION,
    /** Authentication, authorization, trust or cryptographic failure. Never retried. */
    SECURITY,
    /** A failure of the road (peer down, timeout, overload): retried with backoff. */
    TRANSIENT,
    /** A defect or unexpected state inside the gateway. */
    INTERNAL
}
