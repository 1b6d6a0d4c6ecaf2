package org.puente.routes.camel;

/** Every endpoint URI of the gateway's routes, in one place (CONVENTIONS.md 2). */
public final class Endpoints {
    /** Registry names of the CXF JAX-RS consumer endpoints (created in code, see {@link GatewayConfiguration}). */
    public static final String AGENCY_API = "cxfrs:bean:agencyApi";
    public static final String PEER_API = "cxfrs:bean:peerApi";
    public static final String OPS_API = "cxfrs:bean:opsApi";
    /** The SOAP door of the agency API (CXF JAX-WS, created in code, see {@link AgencySoapEndpoint}). */
    public static final String AGENCY_SOAP = "cxf:bean:agencySoap";
    public static final String AGENCY_SOAP_OPERATION = "direct:agency-soap-";

    public static final String AGENCY_OPERATION = "direct:agency-";
    public static final String PEER_OPERATION = "direct:peer-";
    public static final String OPS_OPERATION = "direct:ops-";


    private Endpoints() {
    }

    /**
     * The route id of one line of work, e.g. {@code work-peer-envelope} (a kind's shared line) or
     * {@code work-peer-envelope-urgent} (its line reserved for URGENT jobs).
     */
    public static String work(org.puente.engine.work.WorkLine line) {
        return "work-" + line.name();
    }

    /**
     * How long an idle wake-up consumer waits before it looks whether it is to stop. Camel stops
     * routes one after another and each SEDA consumer only notices at the end of its wait: with
     * Camel's default of 1 s, the eight lines alone took ~5 s of every graceful shutdown.
     */
    static final long WAKE_POLL_MILLIS = 100;

    /**
     * Coalescing wake-up of one line of work: at most one wake waits while a cycle runs. Its body
     * is the line (the claim's argument).
     */
    public static String workWake(org.puente.engine.work.WorkLine line) {
        return "seda:" + work(line) + "-wake?size=1&discardWhenFull=true&pollTimeout=" + WAKE_POLL_MILLIS;
    }

    /** A periodic tick. */
    public static String tick(String name, long periodMillis) {
        return tick(name, periodMillis, periodMillis);
    }

    /** A periodic tick whose first firing comes after {@code delayMillis}. */
    public static String tick(String name, long periodMillis, long delayMillis) {
        return "timer:" + name + "?period=" + periodMillis + "&delay=" + delayMillis;
    }
}
