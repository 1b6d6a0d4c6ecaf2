package org.puente.model.validation;

/** Building RFC 6901 JSON pointers. */
final class JsonPointers {
    private JsonPointers() {
    }

    /** Escapes one reference token ({@code ~} becomes {@code ~0}, {@code /} becomes {@code ~1}). */
    static String escape(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
            return token;
        }
        return token.replace("~", "~0").replace("/", "~1");
    }

    static String child(String parent, String token) {
        return parent + "/" + escape(token);
    }
}
