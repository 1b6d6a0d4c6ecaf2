package org.puente.routes.ops;

/**
 * Counts failed background cycles by route and error code (metrics): declared here, beside the
 * metrics that implement it, so that the Camel layer that calls it depends on the operations layer
 * and not the other way round.
 */
@FunctionalInterface
public interface FailureListener {
    void failed(String routeId, String code);
}
