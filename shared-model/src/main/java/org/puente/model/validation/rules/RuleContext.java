package org.puente.model.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.puente.model.AgencyRef;
import org.puente.model.error.ErrorCode;

/**
 * What a payload rule sees of one message (the parsed payload and the header fields rules compare
 * against) and where it reports what it finds. Pointers are relative to the payload
 * ({@code /equipment/0/containerNumber}); the validator prefixes them with {@code /payload}.
 */
public interface RuleContext {

    JsonNode payload();

    String messageType();

    String schemaVersion();

    AgencyRef sender();

    AgencyRef receiver();

    String legalBasis();

    void error(ErrorCode code, String pointer, String... args);

    void warning(ErrorCode code, String pointer, String... args);

    /** Whether an error was already reported at this payload pointer (by the schema or another rule). */
    boolean hasErrorAt(String pointer);

    /** Whether any error was reported so far; lets rules skip building pointers in the common, clean case. */
    boolean hasErrors();

    /** {@link #hasErrorAt(String)} for the member {@code field} of the object at {@code pointer}. */
    default boolean hasErrorAt(String pointer, String field) {
        return hasErrors() && hasErrorAt(pointer + "/" + field);
    }
}
