package org.puente.routes.api;

import org.puente.engine.api.Json;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.engine.config.ClientEntry;
import org.puente.engine.keys.KeyReloads;
import org.puente.envelope.Fingerprints;
import org.puente.engine.ops.DeadLetters;
import org.puente.engine.ops.OperatorActions;
import org.puente.routes.ops.DashboardPage;
import org.puente.routes.ops.HealthReports;
import org.puente.routes.ops.OpsJson;

/**
 * The operations API operations. Health, metrics, the dashboard and the dead-letter list are for
 * operators and auditors; the controls (suspend, resume, re-drive, reload CRLs) for operators
 * only, as {@code application/json} POSTs, each audited with the operator's certificate subject.
 */
public final class OpsHandler {
    /** Prometheus text exposition format 0.0.4, what every Prometheus server scrapes. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final int MAX_REASON = 200;

    private final HealthReports health;
    private final Supplier<String> scrape;
    private final Supplier<Map<String, Object>> dashboardState;
    private final DashboardPage dashboard;
    private final OperatorActions actions;
    private final DeadLetters deadLetters;
    private final KeyReloads keyReloads;

    public OpsHandler(HealthReports health, Supplier<String> scrape, Supplier<Map<String, Object>> dashboardState,
                      DashboardPage dashboard, OperatorActions actions, DeadLetters deadLetters, KeyReloads keyReloads) {
        this.health = health;
        this.scrape = scrape;
        this.dashboardState = dashboardState;
        this.dashboard = dashboard;
        this.actions = actions;
        this.deadLetters = deadLetters;
        this.keyReloads = keyReloads;
    }

    public Response live(ApiRequest r) {
        requireStaff(r);
        return healthAnswer(health.liveness());
    }

    public Response ready(ApiRequest r) {
        requireStaff(r);
        return healthAnswer(health.readiness());
    }

    private static Response healthAnswer(HealthReports.HealthReport report) {
        return Response.status(report.up() ? 200 : 503).entity(Json.write(OpsJson.health(report)))
                .type(AgencyHandler.JSON).build();
    }

    public Response metrics(ApiRequest r) {
        requireStaff(r);
        return Response.ok(scrape.get(), PROMETHEUS_TEXT).header("Cache-Control", "no-store").build();
    }

    public Response dashboard(ApiRequest r) {
        requireStaff(r);
        return Response.ok(dashboard.html(), "text/html; charset=utf-8")
                .header("Content-Security-Policy", dashboard.contentSecurityPolicy())
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store").build();
    }

    public Response dashboardState(ApiRequest r) {
        requireStaff(r);
        return json(dashboardState.get());
    }

    public Response delivery(ApiRequest r) {
        requireStaff(r);
        return json(delivery(actions.state()));
    }

    public Response suspend(ApiRequest r) {
        requireOperator(r);
        JsonNode body = jsonBody(r);
        JsonNode reason = body.path("reason");
        if (!reason.isMissingNode() && !reason.isNull() && !reason.isTextual()) {
            throw new PuenteException(ErrorCode.WRONG_TYPE, "a string for reason");
        }
        String text = reason.isTextual() ? reason.asText() : null;
        if (text != null && text.length() > MAX_REASON) {
            throw new PuenteException(ErrorCode.TOO_LONG, MAX_REASON);
        }
        return json(delivery(actions.suspend(r.caller(), text)));
    }

    public Response resume(ApiRequest r) {
        requireOperator(r);
        jsonBody(r);
        return json(delivery(actions.resume(r.caller())));
    }

    /** The operators' list of dead letters. */
    public record DeadLettersPage(long count, List<OpsJson.DeadLetterView> deadLetters) {
    }

    /**
     * What a re-drive put back in the queue: the message (or day), its jobs, until when they are
     * tried, and for a re-driven envelope the message's state again (PENDING).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record RedriveAnswer(String messageId, String state, List<String> kinds, String expiresAt) {
    }

    public Response deadLetters(ApiRequest r) {
        requireStaff(r);
        int limit = r.param("limit").map(OpsHandler::limit).orElse(100);
        List<OpsJson.DeadLetterView> items = deadLetters.list(limit).stream().map(OpsJson::deadLetter).toList();
        return json(new DeadLettersPage(deadLetters.count(), items));
    }

    public Response redrive(ApiRequest r) {
        requireOperator(r);
        jsonBody(r);
        String ref = r.param("id").orElse("");
        DeadLetters.Redriven redriven = deadLetters.redrive(r.caller(), ref);
        String state = redriven.kinds().contains(org.puente.engine.work.WorkKind.PEER_ENVELOPE) ? "PENDING" : null;
        return json(new RedriveAnswer(ref, state, redriven.kinds().stream().map(Enum::name).toList(),
                redriven.expiresAt().toString()));
    }

    public Response redriveAll(ApiRequest r) {
        requireOperator(r);
        jsonBody(r);
        return json(Map.of("redriven", deadLetters.redriveAll(r.caller())));
    }

    public Response reloadCrls(ApiRequest r) {
        requireOperator(r);
        jsonBody(r);
        OperatorActions.CrlReloadResult done = actions.reloadCrls(r.caller());
        return json(Map.of("crls", done.crls(), "detail", done.summary()));
    }

    /** Reads the keystore again and puts it in force (audited); a new encryption certificate is announced to the peer. */
    public Response reloadKeys(ApiRequest r) {
        requireOperator(r);
        jsonBody(r);
        KeyReloads.Result done = keyReloads.reload(r.caller());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("signing", Fingerprints.certificate(done.reloaded().signing()));
        body.put("encryption", Fingerprints.certificate(done.reloaded().encryption()));
        body.put("tls", Fingerprints.certificate(done.reloaded().tls()));
        body.put("audit", Fingerprints.certificate(done.reloaded().audit()));
        body.put("peerConfirmed", done.announcement().confirmed());
        body.put("detail", done.summary());
        return json(body);
    }

    private static Map<String, Object> delivery(OperatorActions.DeliveryState s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("suspended", s.suspended());
        body.put("reason", s.reason());
        return body;
    }

    private static Response json(Object body) {
        return Response.ok(Json.write(body), AgencyHandler.JSON).header("Cache-Control", "no-store").build();
    }

    /**
     * Control calls must be JSON: a browser sends that type cross-site only after a CORS
     * preflight this server never grants, so a foreign page cannot act with the operator's
     * certificate. An empty body is read as {@code {}}.
     */
    private static JsonNode jsonBody(ApiRequest r) {
        String type = r.contentType() == null ? "" : r.contentType().toLowerCase(java.util.Locale.ROOT);
        if (!type.startsWith("application/json")) {
            throw new PuenteException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, r.contentType() == null ? "(none)" : r.contentType(),
                    AgencyHandler.JSON);
        }
        if (r.body().length == 0) {
            return CanonicalJson.mapper().createObjectNode();
        }
        try {
            JsonNode node = CanonicalJson.mapper().readTree(r.body());
            if (node == null || !node.isObject()) {
                throw new PuenteException(ErrorCode.MALFORMED_JSON, "expected a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new PuenteException(ErrorCode.MALFORMED_JSON, "unreadable");
        }
    }

    private static int limit(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return Math.min(n, DeadLetters.MAX_PAGE);
        } catch (NumberFormatException e) {
            throw new PuenteException(ErrorCode.WRONG_TYPE, "a positive whole number for limit");
        }
    }

    static void requireStaff(ApiRequest r) {
        if (!r.caller().is(ClientEntry.Role.OPERATOR) && !r.caller().is(ClientEntry.Role.AUDITOR)) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "the operations API is for operators and auditors");
        }
    }

    static void requireOperator(ApiRequest r) {
        if (!r.caller().is(ClientEntry.Role.OPERATOR)) {
            throw new PuenteException(ErrorCode.FORBIDDEN, "only operators may change the gateway");
        }
    }
}
