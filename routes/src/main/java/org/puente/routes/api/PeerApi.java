package org.puente.routes.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/**
 * The peer API (gateway to gateway), served on the peer listener: only the other country's
 * gateway certificate gets through. See {@link org.puente.engine.peer.PeerProtocol}.
 */
@Path("/peer/v1")
@Produces("application/json")
public interface PeerApi {

    @POST
    @Path("/envelopes")
    @Consumes("*/*")
    Response envelopes(byte[] body);

    @POST
    @Path("/notices")
    @Consumes("*/*")
    Response notices(byte[] body);

    @POST
    @Path("/withdrawals")
    @Consumes("*/*")
    Response withdrawals(byte[] body);

    @POST
    @Path("/ping")
    @Consumes("*/*")
    Response ping(byte[] body);

    @POST
    @Path("/reconciliation")
    @Consumes("*/*")
    Response reconciliation(byte[] body);

    @POST
    @Path("/keys")
    @Consumes("*/*")
    Response keys(byte[] body);

    @POST
    @Path("/checkpoints")
    @Consumes("*/*")
    Response checkpoints(byte[] body);
}
