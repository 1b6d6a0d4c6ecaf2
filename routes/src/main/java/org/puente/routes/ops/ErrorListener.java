package org.puente.routes.ops;

import org.puente.model.error.PuenteException;

/**
 * Observes the refusals the agency, peer and SOAP edges answer (metrics by error code): declared
 * here, beside the metrics that implement it, so that the Camel layer that calls it depends on
 * the operations layer and not the other way round.
 */
@FunctionalInterface
public interface ErrorListener {
    void answered(String operation, PuenteException e);
}
