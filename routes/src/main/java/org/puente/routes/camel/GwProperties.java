package org.puente.routes.camel;

/**
 * Names of the exchange properties the gateway uses. Identity and request data live in exchange
 * properties, never in headers, which outsiders can set (CONVENTIONS.md 3).
 */
public final class GwProperties {
    /** The typed {@link org.puente.routes.api.ApiRequest} built by the edge. */
    public static final String REQUEST = "GwRequest";
    /** The API operation name, used to pick the operation's route. */
    public static final String OPERATION = "GwOperation";
    /** The caller's language for error sentences. */
    public static final String LOCALE = "GwLocale";

    private GwProperties() {
    }
}
