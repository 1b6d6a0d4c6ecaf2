package org.puente.audit.merkle;

import java.util.Optional;

/**
 * A Merkle inclusion or consistency proof does not hold; the message says which check failed and
 * {@link #failure()} names it as a stable code.
 */
public final class ProofException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ProofFailure failure;

    /** A refusal with only a human reason. */
    public ProofException(String reason) {
        super(reason);
        this.failure = null;
    }

    /** A refusal for a named check; the message is {@code "<code>: <detail>"}. */
    public ProofException(ProofFailure failure, String detail) {
        super(failure.code() + ": " + detail);
        this.failure = failure;
    }

    /** The check that failed, when the thrower named it. */
    public Optional<ProofFailure> failure() {
        return Optional.ofNullable(failure);
    }
}
