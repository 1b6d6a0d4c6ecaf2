package org.puente.routes.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import org.puente.model.EnvelopeHeader;
import org.puente.routes.store.DeadLetterStore;

/** JSON shapes of the operations API shared by its endpoints and the dashboard. */
public final class OpsJson {
    private OpsJson() {
    }

    /** A dead letter: routing metadata and why it died, never its payload. */
    public static Map<String, Object> deadLetter(DeadLetterStore.DeadLetter d) {
        EnvelopeHeader h = d.header();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", d.messageId().toString());
        m.put("messageType", h.messageType());
        m.put("sender", String.valueOf(h.sender()));
        m.put("receiver", String.valueOf(h.receiver()));
        m.put("priority", h.priority().name());
        m.put("createdAt", h.createdAt().toString());
        m.put("expiredAt", d.expiredAt() == null ? null : d.expiredAt().toString());
        m.put("attempts", d.attempts());
        m.put("lastErrorCode", d.lastErrorCode());
        return m;
    }

    /** A health report: overall status, when, and every check. */
    public static Map<String, Object> health(HealthReports.HealthReport r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", r.up() ? "UP" : "DOWN");
        body.put("at", r.at().toString());
        Map<String, Object> checks = new LinkedHashMap<>();
        r.checks().forEach((k, v) -> checks.put(k, Map.of("status", v.up() ? "UP" : "DOWN", "detail", v.detail())));
        body.put("checks", checks);
        return body;
    }
}
