package org.puente.routes.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * The agency API contract (REST/JSON), served on the agency listener with mutual TLS. The
 * methods are bound to Camel routes (cxfrs, simple binding): their bodies are never called.
 * The checked-in description is {@code docs/openapi/agency-api.json}.
 */
@Path("/api/v1")
@Produces("application/json")
public interface AgencyApi {
    String IDEMPOTENCY_KEY = "Idempotency-Key";
    String ACCEPT_LANGUAGE = "Accept-Language";

    @POST
    @Path("/messages")
    @Consumes("*/*")
    Response submit(byte[] body, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                    @HeaderParam(ACCEPT_LANGUAGE) String language);

    @POST
    @Path("/messages/batch")
    @Consumes("*/*")
    Response submitBatch(byte[] body, @HeaderParam(ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/messages/{id}")
    Response status(@PathParam("id") String id, @HeaderParam(ACCEPT_LANGUAGE) String language);

    @POST
    @Path("/messages/{id}/cancel")
    @Consumes("*/*")
    Response cancel(@PathParam("id") String id, byte[] body, @HeaderParam(ACCEPT_LANGUAGE) String language);

    @POST
    @Path("/messages/{id}/replace")
    @Consumes("*/*")
    Response replace(@PathParam("id") String id, byte[] body, @HeaderParam(ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/inbox")
    Response inbox(@QueryParam("after") String after, @QueryParam("limit") String limit,
                   @HeaderParam(ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/inbox/{id}")
    Response inboxMessage(@PathParam("id") String id, @HeaderParam(ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/inbox/{id}/payload")
    Response inboxPayload(@PathParam("id") String id, @HeaderParam(ACCEPT_LANGUAGE) String language);

    @POST
    @Path("/inbox/{id}/ack")
    @Consumes("*/*")
    Response acknowledge(@PathParam("id") String id, @HeaderParam(ACCEPT_LANGUAGE) String language);

    @POST
    @Path("/inbox/{id}/answer")
    @Consumes("*/*")
    Response answer(@PathParam("id") String id, byte[] body, @HeaderParam(ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/cases")
    Response cases(@QueryParam("state") String state, @QueryParam("limit") String limit,
                   @HeaderParam(ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/cases/{id}")
    Response assistanceCase(@PathParam("id") String id, @HeaderParam(ACCEPT_LANGUAGE) String language);

    @POST
    @Path("/disclosures/check")
    @Consumes("*/*")
    Response checkDisclosure(byte[] body, @HeaderParam(ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/consents/{id}")
    Response consents(@PathParam("id") String id, @HeaderParam(ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/openapi.json")
    Response openApi();
}
