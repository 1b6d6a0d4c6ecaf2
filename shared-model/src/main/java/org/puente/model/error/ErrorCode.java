package org.puente.model.error;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one catalogue of error codes shared by every module and by both gateways.
 *
 * <p>Codes are stable snake_case strings: agencies and the peer gateway program against them, so a
 * code is never renamed or reused. Each carries its category, whether retrying the same input can
 * succeed, and the HTTP status it maps to (this enum is the one place where that mapping lives).
 * The human sentences, in English and Spanish, live in {@code ErrorMessages*.properties}.
 */
public enum ErrorCode {
    // --- Submission shape and JSON Schema (400) ---
    MALFORMED_JSON(ErrorCategory.VALIDATION, 400),
    REQUIRED_FIELD_MISSING(ErrorCategory.VALIDATION, 400),
    UNKNOWN_FIELD(ErrorCategory.VALIDATION, 400),
    WRONG_TYPE(ErrorCategory.VALIDATION, 400),
    PATTERN_MISMATCH(ErrorCategory.VALIDATION, 400),
    INVALID_FORMAT(ErrorCategory.VALIDATION, 400),
    VALUE_NOT_ALLOWED(ErrorCategory.VALIDATION, 400),
    TOO_SHORT(ErrorCategory.VALIDATION, 400),
    TOO_LONG(ErrorCategory.VALIDATION, 400),
    BELOW_MINIMUM(ErrorCategory.VALIDATION, 400),
    ABOVE_MAXIMUM(ErrorCategory.VALIDATION, 400),
    TOO_FEW_ITEMS(ErrorCategory.VALIDATION, 400),
    TOO_MANY_ITEMS(ErrorCategory.VALIDATION, 400),
    DUPLICATE_ITEMS(ErrorCategory.VALIDATION, 400),
    SCHEMA_VIOLATION(ErrorCategory.VALIDATION, 400),

    // --- Catalogue (400 / 403) ---
    UNKNOWN_MESSAGE_TYPE(ErrorCategory.VALIDATION, 400),
    UNSUPPORTED_SCHEMA_VERSION(ErrorCategory.VALIDATION, 400),
    UNKNOWN_AGENCY(ErrorCategory.VALIDATION, 400),
    SENSITIVITY_MISMATCH(ErrorCategory.VALIDATION, 400),
    INVALID_TIME_TO_LIVE(ErrorCategory.VALIDATION, 400),
    ROUTE_NOT_ALLOWED(ErrorCategory.SECURITY, 403),
    LEGAL_BASIS_NOT_ALLOWED(ErrorCategory.SECURITY, 403),
    PURPOSE_NOT_ALLOWED(ErrorCategory.SECURITY, 403),
    SENDER_MISMATCH(ErrorCategory.SECURITY, 403),
    /** A warning only: the version is still accepted, but a newer one should be used. */
    SCHEMA_VERSION_DEPRECATED(ErrorCategory.VALIDATION, 400),

    // --- Domain rules beyond JSON Schema (400) ---
    INVALID_CONTAINER_NUMBER(ErrorCategory.VALIDATION, 400),
    INVALID_RFC(ErrorCategory.VALIDATION, 400),
    /** A warning only: the mod-11 check digit fails on a small share of real RFCs. */
    RFC_CHECK_DIGIT_MISMATCH(ErrorCategory.VALIDATION, 400),
    INVALID_PEDIMENTO(ErrorCategory.VALIDATION, 400),
    INVALID_US_PORT_CODE(ErrorCategory.VALIDATION, 400),
    INVALID_MX_CUSTOMS_OFFICE(ErrorCategory.VALIDATION, 400),
    INVALID_SCAC(ErrorCategory.VALIDATION, 400),
    INVALID_UNLOCODE(ErrorCategory.VALIDATION, 400),
    INVALID_HS_CODE(ErrorCategory.VALIDATION, 400),
    INVALID_COUNTRY_CODE(ErrorCategory.VALIDATION, 400),
    INVALID_CURRENCY_CODE(ErrorCategory.VALIDATION, 400),
    INVALID_EIN(ErrorCategory.VALIDATION, 400),
    CONFIRMATION_DEADLINE_REQUIRED(ErrorCategory.VALIDATION, 400),
    NON_POSITIVE_QUANTITY(ErrorCategory.VALIDATION, 400),
    PORT_OF_ENTRY_WRONG_COUNTRY(ErrorCategory.VALIDATION, 400),
    INVALID_TIME_WINDOW(ErrorCategory.VALIDATION, 400),
    CONSENT_REQUIRED(ErrorCategory.VALIDATION, 400),
    INCONSISTENT_FIELDS(ErrorCategory.VALIDATION, 400),
    FIELD_NOT_ALLOWED(ErrorCategory.VALIDATION, 400),
    HEADER_PAYLOAD_MISMATCH(ErrorCategory.VALIDATION, 400),
    PORT_NOT_IN_SENDER_COUNTRY(ErrorCategory.VALIDATION, 400),
    PROGRAMME_NOT_OF_SENDER(ErrorCategory.VALIDATION, 400),
    /** A warning only: the IRS may assign new prefixes, so an unknown one is not a rejection. */
    EIN_PREFIX_NOT_ASSIGNED(ErrorCategory.VALIDATION, 400),

    // --- Request handling (agency and peer APIs) ---
    PAYLOAD_TOO_LARGE(ErrorCategory.VALIDATION, 413),
    UNSUPPORTED_MEDIA_TYPE(ErrorCategory.VALIDATION, 415),
    IDEMPOTENCY_CONFLICT(ErrorCategory.VALIDATION, 409),
    NOT_FOUND(ErrorCategory.VALIDATION, 404),
    /**
     * A receiving agency's business answer is malformed: an unknown status, a missing or
     * malformed reason, too many reasons (issue 17, business acknowledgements).
     */
    INVALID_ANSWER(ErrorCategory.VALIDATION, 400),
    /** The message was already answered with a different business answer; the first one stands. */
    ANSWER_CONFLICT(ErrorCategory.VALIDATION, 409),
    /** A response names a request that opened no assistance case here (issue 17, assistance cases). */
    UNKNOWN_CASE(ErrorCategory.VALIDATION, 409),
    /** A response to an assistance case that an earlier response closed. */
    CASE_CLOSED(ErrorCategory.VALIDATION, 409),
    /** A response between other agencies than the case's, or with another file number. */
    CASE_MISMATCH(ErrorCategory.VALIDATION, 409),
    /** A consent request or decision about a message the provider never sent to the holder (consent register). */
    UNKNOWN_ORIGINAL(ErrorCategory.VALIDATION, 409),
    /** A consent decision about information the holder's gateway has not stored yet (not receipted). */
    ORIGINAL_NOT_RECEIVED(ErrorCategory.VALIDATION, 409),
    /** A cancellation or replacement is malformed, or names a replacement that cannot replace the message. */
    INVALID_WITHDRAWAL(ErrorCategory.VALIDATION, 400),
    /** The message was already cancelled or replaced otherwise; the first withdrawal stands. */
    WITHDRAWAL_CONFLICT(ErrorCategory.VALIDATION, 409),
    /**
     * Cross-witnessing: the peer's audit checkpoint does not extend one the witness cosigned before
     * (a rewritten, forked or rolled-back log). Refused, kept as evidence, alerted on both sides.
     */
    CHECKPOINT_INCONSISTENT(ErrorCategory.SECURITY, 409),
    /** Cross-witnessing: the consistency proof starts from another tree size than the witness last cosigned. */
    WITNESS_OUT_OF_STEP(ErrorCategory.VALIDATION, 409),
    /**
     * The message is there, but its payload was purged after the configured retention
     * ({@code puente.data.payload-retention}); its digests, receipts and history are kept.
     */
    PAYLOAD_PURGED(ErrorCategory.VALIDATION, 410),
    CLIENT_NOT_AUTHENTICATED(ErrorCategory.SECURITY, 401),
    FORBIDDEN(ErrorCategory.SECURITY, 403),
    /** SOAP: a DTD, an entity, or XML that is malformed, too deep or too large (issue 7). */
    MALFORMED_XML(ErrorCategory.VALIDATION, 400),
    /** Drop folder: a file that is not UTF-8 text (files carry no charset, unlike an HTTP body). */
    INVALID_ENCODING(ErrorCategory.VALIDATION, 400),
    /** Drop folder: a symbolic link, or a name or location outside the agency's folder. */
    UNSAFE_FILE(ErrorCategory.SECURITY, 400),
    /** Drop folder: a file the gateway cannot read. */
    UNREADABLE_FILE(ErrorCategory.VALIDATION, 400),

    // --- Envelope: opening, trust and receipts (answered to the peer with a signed error) ---
    ENVELOPE_UNREADABLE(ErrorCategory.SECURITY, 400),
    ENVELOPE_NOT_FOR_US(ErrorCategory.SECURITY, 400),
    DECRYPTION_FAILED(ErrorCategory.SECURITY, 400),
    BAD_SIGNATURE(ErrorCategory.SECURITY, 400),
    HEADER_MISMATCH(ErrorCategory.SECURITY, 400),
    UNKNOWN_SIGNER(ErrorCategory.SECURITY, 400),
    UNTRUSTED_CHAIN(ErrorCategory.SECURITY, 400),
    UNEXPECTED_SIGNER_NAME(ErrorCategory.SECURITY, 400),
    CERTIFICATE_EXPIRED(ErrorCategory.SECURITY, 400),
    CERTIFICATE_NOT_YET_VALID(ErrorCategory.SECURITY, 400),
    CERTIFICATE_REVOKED(ErrorCategory.SECURITY, 400),
    WRONG_KEY_USAGE(ErrorCategory.SECURITY, 400),
    UNSUPPORTED_ALGORITHM(ErrorCategory.SECURITY, 400),
    ENVELOPE_TOO_LARGE(ErrorCategory.SECURITY, 413),
    STALE_TIMESTAMP(ErrorCategory.SECURITY, 400),
    /**
     * The peer announced an encryption certificate that is not newer than the one this gateway
     * seals to (a replayed or rolled-back announcement); the current one stays (issue 16).
     */
    STALE_KEY_ANNOUNCEMENT(ErrorCategory.SECURITY, 400),
    FUTURE_TIMESTAMP(ErrorCategory.SECURITY, 400),
    RECEIPT_MISMATCH(ErrorCategory.SECURITY, 400),
    MESSAGE_EXPIRED(ErrorCategory.VALIDATION, 400),

    // --- Audit log ---
    /**
     * The gateway refused to sign an export or archive because the range does not verify (an
     * entry altered, missing or inserted, a checkpoint forged, deleted or missing): it signs only
     * evidence that holds, and says where it breaks (issue 13).
     */
    AUDIT_LOG_BROKEN(ErrorCategory.SECURITY, 409),

    // --- Road failures: retried ---
    PEER_UNREACHABLE(ErrorCategory.TRANSIENT, 503),
    PEER_TIMEOUT(ErrorCategory.TRANSIENT, 504),
    PEER_SERVER_ERROR(ErrorCategory.TRANSIENT, 502),
    OVERLOADED(ErrorCategory.TRANSIENT, 429),
    /**
     * A request body that did not arrive within its time ({@code puente.limits.body-grace} plus its
     * length at {@code puente.limits.body-min-bytes-per-second}): the connection is closed, so the
     * client sees it only in the gateway's metrics and log.
     */
    REQUEST_TIMEOUT(ErrorCategory.TRANSIENT, 408),
    NOT_READY(ErrorCategory.TRANSIENT, 503),
    STORE_UNAVAILABLE(ErrorCategory.TRANSIENT, 503),
    /**
     * The peer's encryption certificate is revoked, expired or not yet valid: nothing is sealed to
     * it (submissions wait or are retried) until the operators configure a valid one (issue 13).
     */
    PEER_KEY_UNUSABLE(ErrorCategory.TRANSIENT, 503),

    // --- Operations ---
    /**
     * An operator's CRL reload was refused because the new CRL files are unusable (empty,
     * unreadable, expired, not signed by their CA, older than those in force, or missing a CA);
     * the previous CRLs stay in force (issue 13).
     */
    CRLS_REFUSED(ErrorCategory.VALIDATION, 422),
    /**
     * An operator's key reload was refused because the keystore as it is now is unusable (unreadable,
     * a certificate for another name or purpose, a key of another profile, a storage key it cannot
     * open); the keys in force stay (issue 16).
     */
    KEYS_REFUSED(ErrorCategory.VALIDATION, 422),

    // --- Defects ---
    INTERNAL_ERROR(ErrorCategory.INTERNAL, 500),
    CONFIGURATION_INVALID(ErrorCategory.INTERNAL, 500);

    private static final Map<String, ErrorCode> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ErrorCode::code, Function.identity()));

    private final ErrorCategory category;
    private final int httpStatus;

    ErrorCode(ErrorCategory category, int httpStatus) {
        this.category = category;
        this.httpStatus = httpStatus;
    }

    /** The stable wire form, e.g. {@code bad_signature}; also the code's JSON form. */
    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public ErrorCategory category() {
        return category;
    }

    /** Whether sending the same input again may succeed (only road failures). */
    public boolean retryable() {
        return category == ErrorCategory.TRANSIENT;
    }

    /** The HTTP status this code is answered with, on every API. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The human sentence for this code in the given language (English unless Spanish is asked for). */
    public String sentence(Locale locale, Object... args) {
        return ErrorMessages.sentence(this, locale, args);
    }

    public static Optional<ErrorCode> fromCode(String code) {
        return Optional.ofNullable(code == null ? null : BY_CODE.get(code));
    }

    /** Reads the JSON form; an unknown code is refused rather than silently dropped. */
    @JsonCreator
    static ErrorCode ofJson(String code) {
        return fromCode(code).orElseThrow(() -> new IllegalArgumentException("unknown error code: " + code));
    }
}
