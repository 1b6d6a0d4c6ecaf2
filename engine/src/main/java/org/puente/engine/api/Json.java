package org.puente.engine.api;

import org.puente.model.CanonicalJson;

/** Writes the API's typed bodies as JSON (Puente's one mapper: properties in alphabetical order). */
public final class Json {
    private Json() {
    }

    public static byte[] write(Object value) {
        return CanonicalJson.bytes(value);
    }
}
