package org.puente.routes.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * The operations API, on the operations listener (mutual TLS, operators and auditors of this
 * country): health, the Prometheus scrape, the dashboard, and the operators' controls. Bound to
 * Camel routes; the method bodies are never called. docs/operations.md documents every call.
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

    @GET
    @Path("/metrics")
    @Produces({"text/plain", "*/*"})
    Response metrics();

    @GET
    @Path("/dashboard")
    @Produces({"text/html", "*/*"})
    Response dashboard();

    @GET
    @Path("/dashboard/state")
    Response dashboardState();

    @GET
    @Path("/delivery")
    Response delivery();

    @POST
    @Path("/delivery/suspend")
    @Consumes("*/*")
    Response suspend(byte[] body);

    @POST
    @Path("/delivery/resume")
    @Consumes("*/*")
    Response resume(byte[] body);

    @GET
    @Path("/dead-letters")
    Response deadLetters(@QueryParam("limit") String limit);

    @POST
    @Path("/dead-letters/redrive")
    @Consumes("*/*")
    Response redriveAll(byte[] body);

    @POST
    @Path("/dead-letters/{id}/redrive")
    @Consumes("*/*")
    Response redrive(@PathParam("id") String id, byte[] body);

    @POST
    @Path("/keys/reload")
    @Consumes("*/*")
    Response reloadKeys(byte[] body);

    @POST
    @Path("/crls/reload")
    @Consumes("*/*")
    Response reloadCrls(byte[] body);
}
