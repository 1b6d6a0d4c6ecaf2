package org.puente.envelope.timestamp;

import java.util.Objects;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Why a time-stamp could not be obtained or does not verify: a {@link PuenteException} (so generic
 * handlers see a code, category and retry flag) with a {@link Reason} that callers and tests switch on.
 */
public final class TimeStampException extends PuenteException {
    private static final long serialVersionUID = 1L;

    /** The stable reasons; each names the Puente error code it is reported under. */
    public enum Reason {
        /** The TSA cannot be reached, timed out, or answered 5xx/429 (e.g. 503 during an outage): retry later. */
        UNAVAILABLE(ErrorCode.NOT_READY),
        /** The TSA answered, but refused to stamp (PKIStatus rejection or waiting, or an HTTP 4xx). */
        REFUSED(ErrorCode.NOT_READY),
        /** The token does not stamp the digest that was asked for (imprint), or not this request (nonce). */
        MISMATCH(ErrorCode.RECEIPT_MISMATCH),
        /** Not a time-stamp token, no TSA certificate in it, or its signature does not verify. */
        INVALID_TOKEN(ErrorCode.BAD_SIGNATURE),
        /** The TSA certificate does not chain to a trust anchor, or is expired, not yet valid or revoked. */
        UNTRUSTED_TSA(ErrorCode.UNTRUSTED_CHAIN),
        /** The signer certificate is not a TSA's: no digitalSignature, or no critical timeStamping-only EKU. */
        NOT_A_TSA(ErrorCode.WRONG_KEY_USAGE);

        private final ErrorCode errorCode;

        Reason(ErrorCode errorCode) {
            this.errorCode = errorCode;
        }

        /** The Puente error code this reason is reported under (the trust check may report a finer one). */
        public ErrorCode errorCode() {
            return errorCode;
        }
    }

    private final Reason reason;
    private final String detail;

    TimeStampException(Reason reason, String detail) {
        this(reason, detail, null);
    }

    TimeStampException(Reason reason, String detail, Throwable cause) {
        super(reason.errorCode(), cause, detail, detail);
        this.reason = reason;
        this.detail = Objects.requireNonNull(detail);
    }

    /** Keeps the finer code of a trust failure (certificate_expired, certificate_revoked, ...). */
    TimeStampException(Reason reason, PuenteException trustFailure) {
        super(trustFailure.errorCode(), trustFailure, trustFailure.args().toArray());
        this.reason = reason;
        this.detail = trustFailure.getMessage();
    }

    public Reason reason() {
        return reason;
    }

    /** One English sentence for logs (never the digest's content, never key material). */
    public String detail() {
        return detail;
    }

    @Override
    public String getMessage() {
        return "time-stamp " + reason + ": " + detail + " [" + super.getMessage() + "]";
    }
}
