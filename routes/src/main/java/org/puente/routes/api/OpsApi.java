package org.puente.routes.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/**
 * The operations API, on the operations listener (mutual TLS, operators and auditors of this
 * country). Bound to Camel routes; the method bodies are never called.
 */
@Path("/ops/v1")
@Produces("application/json")
public interface OpsApi {

    @GET
    @Path("/health/live")
    Response live();

    @GET
    @Path("/health/ready")
    Response ready();
}
