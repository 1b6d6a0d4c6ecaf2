package org.puente.routes.camel;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.puente.model.error.PuenteException;

/**
 * The one place where route errors are handled (CONVENTIONS.md 4).
 * <ul>
 * <li>{@code api}: every failure of an API route becomes the JSON error answer with its code;
 * nothing is retried (a refused message is the sender's to fix, and road failures are the
 * client's to retry: the answer says {@code retryable}).</li>
 * <li>{@code soap}: the same for the SOAP door, answered as a SOAP fault carrying the same code
 * and sentence.</li>
 * <li>{@code background}: a failing dispatch or notice cycle is counted and logged; its messages
 * stay in the database and their reservations lapse, so the next cycle takes them again —
 * nothing is dropped and nothing is answered.</li>
 * </ul>
 */
public final class ErrorHandlingConfiguration extends RouteConfigurationBuilder {
    public static final String API = "api";
    public static final String BACKGROUND = "background";
    public static final String SOAP = "soap";

    private final ApiErrorResponder responder;
    private final BackgroundFailures failures;
    private final SoapFaultResponder soapResponder;

    /** Without a metrics listener for SOAP faults (route tests, the plain relay). */
    public ErrorHandlingConfiguration(ApiErrorResponder responder, BackgroundFailures failures) {
        this(responder, failures, new SoapFaultResponder((operation, e) -> { }));
    }

    public ErrorHandlingConfiguration(ApiErrorResponder responder, BackgroundFailures failures,
                                      SoapFaultResponder soapResponder) {
        this.responder = responder;
        this.failures = failures;
        this.soapResponder = soapResponder;
    }

    @Override
    public void configuration() {
        routeConfiguration(API)
                .onException(Exception.class).handled(true).bean(responder, "respond");
        routeConfiguration(SOAP)
                .onException(Exception.class).handled(true).bean(soapResponder, "respond");
        routeConfiguration(BACKGROUND)
                .onException(PuenteException.class).handled(true).bean(failures, "record").end()
                .onException(Exception.class).handled(true).bean(failures, "record");
    }
}
