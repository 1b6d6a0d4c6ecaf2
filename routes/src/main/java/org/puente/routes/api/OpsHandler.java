package org.puente.routes.api;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.config.ClientEntry;
import org.puente.routes.ops.HealthMonitor;

/** The operations API operations: health for operators (and monitoring through them). */
public final class OpsHandler {
    private final HealthMonitor health;

    public OpsHandler(HealthMonitor health) {
        this.health = health;
    }

    public Response live(ApiRequest r) {
        requireStaff(r);
        boolean live = health.live();
        return Response.status(live ? 200 : 503).entity(JsonBodies.write(Map.of("status", live ? "UP" : "DOWN")))
                .type(AgencyHandler.JSON).build();
    }

    public Response ready(ApiRequest r) {
        requireStaff(r);
        HealthMonitor.Snapshot s = health.snapshot();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", s.ready() ? "UP" : "DOWN");
        body.put("at", s.at().toString());
        Map<String, Object> checks = new LinkedHashMap<>();
        s.checks().forEach((k, v) -> checks.put(k, Map.of("status", v.up() ? "UP" : "DOWN", "detail", v.detail())));
        body.put("checks", checks);
        return Response.status(s.ready() ? 200 : 503).entity(JsonBodies.write(body)).type(AgencyHandler.JSON).build();
    }

    static void requireStaff(ApiRequest r) {
        if (!r.caller().is(ClientEntry.Role.OPERATOR) && !r.caller().is(ClientEntry.Role.AUDITOR)) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "the operations API is for operators and auditors");
        }
    }
}
