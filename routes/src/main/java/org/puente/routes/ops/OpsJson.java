package org.puente.routes.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import org.puente.model.EnvelopeHeader;
import org.puente.engine.ops.DeadLetters;

/** JSON shapes of the operations API shared by its endpoints and the dashboard. */
public final class OpsJson {
    private OpsJson() {
    }

    /**
     * A dead letter: which job (kind and what it is about: a message id, or a day), the message's
     * routing metadata, and why it died; never its payload. {@code messageId} is the job's
     * reference, which is what a re-drive takes.
     */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"kind", "messageId", "messageType", "sender", "receiver",
            "priority", "createdAt", "expiredAt", "attempts", "lastErrorCode"})
    public record DeadLetterView(String kind, String messageId, String messageType, String sender, String receiver,
                                 String priority, String createdAt, String expiredAt, int attempts, String lastErrorCode) {
    }

    public static DeadLetterView deadLetter(DeadLetters.DeadLetter d) {
        EnvelopeHeader h = d.header();
        return new DeadLetterView(d.kind().name(), d.ref(), h == null ? null : h.messageType(),
                h == null ? null : String.valueOf(h.sender()), h == null ? null : String.valueOf(h.receiver()),
                h == null ? null : h.priority().name(), h == null ? null : h.createdAt().toString(),
                d.since() == null ? null : d.since().toString(), d.attempts(), d.lastErrorCode());
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
