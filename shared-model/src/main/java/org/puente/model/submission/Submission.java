package org.puente.model.submission;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;
import org.puente.model.EnvelopeHeader;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.catalogue.MessageTypeDefinition;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * A message as an agency submitted it and the validator accepted it: the typed header and the exact
 * bytes of the {@code payload} member.
 *
 * <p>The payload bytes are a slice of the submitted document, not a re-serialization: the
 * receiving agency gets byte for byte what the sending agency wrote (white space, key order,
 * escapes), and the digests both sides audit are of the same bytes. {@link #toString()} never
 * shows payload content.
 *
 * <p>The array is neither copied in nor copied out: a payload may be 64 MiB, and each copy held
 * during sealing and storing would be 64 MiB of heap more (docs/BENCHMARKS.md, "Large payloads").
 * It is read-only by contract: the parser hands over a slice no one else holds, and nothing may
 * write to it. The parsed tree is not kept either (about five times the payload's size).
 *
 * @param header  the header fields as submitted
 * @param payload the exact bytes of the {@code payload} member (UTF-8 JSON object); read-only
 */
public record Submission(SubmissionHeader header, byte[] payload) {

    public int payloadLength() {
        return payload.length;
    }

    /**
     * The envelope header of this submission: the catalogue's defaults applied for sensitivity,
     * priority and time-to-live, the correlation id defaulting to the message id, and the creation
     * time truncated to milliseconds (its canonical text form must be stable across implementations).
     *
     * @throws PuenteException {@code unknown_message_type} when the catalogue does not know the type
     */
    public EnvelopeHeader toEnvelopeHeader(UUID messageId, Instant createdAt, MessageCatalogue catalogue) {
        MessageTypeDefinition type = catalogue.type(header.messageType())
                .orElseThrow(() -> new PuenteException(ErrorCode.UNKNOWN_MESSAGE_TYPE, header.messageType()));
        return new EnvelopeHeader(
                messageId,
                header.correlationId() != null ? header.correlationId() : messageId.toString(),
                header.messageType(),
                header.schemaVersion(),
                header.sender(),
                header.receiver(),
                header.legalBasis(),
                header.purpose(),
                header.sensitivity() != null ? header.sensitivity() : type.sensitivity(),
                header.language(),
                createdAt.truncatedTo(ChronoUnit.MILLIS),
                header.timeToLive() != null ? header.timeToLive() : type.defaultTimeToLive(),
                header.priority() != null ? header.priority() : type.defaultPriority());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Submission other && header.equals(other.header) && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Submission[" + header.messageType() + " " + header.schemaVersion() + " " + header.sender() + " -> "
                + header.receiver() + ", payload " + payload.length + " bytes]";
    }
}
