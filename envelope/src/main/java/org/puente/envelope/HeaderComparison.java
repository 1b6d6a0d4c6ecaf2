package org.puente.envelope;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** Reads the signed header and compares it with the routing header the envelope travelled under. */
final class HeaderComparison {
    private HeaderComparison() {
    }

    /**
     * Parses the signed header; it must be the canonical JSON of a valid header, so that two
     * readers can never see two different headers in the same signed bytes.
     */
    static EnvelopeHeader signedHeader(byte[] headerJson) {
        EnvelopeHeader header;
        try {
            header = CanonicalJson.read(headerJson, EnvelopeHeader.class);
        } catch (RuntimeException e) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the signed header is not a valid envelope header");
        }
        if (header == null || header.messageId() == null || !Arrays.equals(CanonicalJson.bytes(header), headerJson)) {
            throw new PuenteException(ErrorCode.ENVELOPE_UNREADABLE, "the signed header is not in canonical form");
        }
        return header;
    }

    /**
     * Requires the signed header bytes to be exactly the canonical form of the routing header and
     * returns the header. Equal bytes mean the signed header is canonical and equal to the routing
     * header, so it is not parsed again; otherwise it is parsed (envelope_unreadable if it is not a
     * canonical header) and the differing fields are named, not their values (header_mismatch).
     */
    static EnvelopeHeader requireEqual(byte[] signedJson, EnvelopeHeader routing) {
        if (Arrays.equals(signedJson, CanonicalJson.bytes(routing))) {
            return routing;
        }
        EnvelopeHeader signed = signedHeader(signedJson);
        List<String> differing = new ArrayList<>();
        for (RecordComponent c : EnvelopeHeader.class.getRecordComponents()) {
            try {
                if (!Objects.equals(c.getAccessor().invoke(signed), c.getAccessor().invoke(routing))) {
                    differing.add(c.getName());
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                differing.add(c.getName());
            }
        }
        throw new PuenteException(ErrorCode.HEADER_MISMATCH,
                differing.isEmpty() ? "encoding differs" : "fields " + String.join(", ", differing));
    }
}
