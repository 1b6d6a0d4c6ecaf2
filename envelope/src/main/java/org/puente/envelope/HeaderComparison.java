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

    /** Refuses with header_mismatch, naming the differing fields (not their values). */
    static void requireEqual(EnvelopeHeader signed, byte[] signedJson, EnvelopeHeader routing) {
        if (Arrays.equals(signedJson, CanonicalJson.bytes(routing))) {
            return;
        }
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
