package org.puente.routes.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * The auditor API, on the operations listener beside {@link OpsApi} (mutual TLS; clients with the
 * auditor role only). Bound to Camel routes; the method bodies are never called. docs/audit.md
 * describes each operation.
 */
@Path("/audit/v1")
@Produces("application/json")
public interface AuditApi {
    /** Query parameter and path parameter names, copied into the request by the edge. */
    java.util.List<String> PARAMS = java.util.List.of("from", "to", "messageId", "correlationId", "type", "agency",
            "event", "outcome", "after", "limit", "id", "seq", "treeSize", "day");

    @GET
    @Path("/events")
    Response auditEvents(@QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("messageId") String messageId, @QueryParam("correlationId") String correlationId,
                         @QueryParam("type") String type, @QueryParam("agency") String agency,
                         @QueryParam("event") String event, @QueryParam("outcome") String outcome,
                         @QueryParam("after") String after, @QueryParam("limit") String limit,
                         @HeaderParam(AgencyApi.ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/messages/{id}")
    Response auditMessage(@PathParam("id") String id, @HeaderParam(AgencyApi.ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/head")
    Response auditHead(@HeaderParam(AgencyApi.ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/checkpoints")
    Response auditCheckpoints(@QueryParam("after") String after, @QueryParam("limit") String limit,
                              @HeaderParam(AgencyApi.ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/export")
    @Produces("application/jsonl")
    Response auditExport(@QueryParam("from") String from, @QueryParam("to") String to,
                         @HeaderParam(AgencyApi.ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/proofs/inclusion")
    Response auditInclusion(@QueryParam("seq") String seq, @QueryParam("treeSize") String treeSize,
                            @HeaderParam(AgencyApi.ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/proofs/consistency")
    Response auditConsistency(@QueryParam("from") String from, @QueryParam("to") String to,
                              @HeaderParam(AgencyApi.ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/cosignatures")
    Response auditCosignatures(@QueryParam("after") String after, @QueryParam("limit") String limit,
                               @HeaderParam(AgencyApi.ACCEPT_LANGUAGE) String language);

    @GET
    @Path("/reconciliations")
    Response auditReconciliations(@QueryParam("day") String day, @HeaderParam(AgencyApi.ACCEPT_LANGUAGE) String language);
}
