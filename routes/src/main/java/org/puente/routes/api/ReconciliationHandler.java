package org.puente.routes.api;

import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import org.puente.audit.store.ReconciliationStore;
import org.puente.engine.audit.PeerReconciliation;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The auditor API's evidence of the daily reconciliation with the peer (docs/audit.md, "Daily
 * reconciliation with the peer"): the signed reports and answers of a day, both directions. HTTP
 * glue over {@link PeerReconciliation#reports}; auditors only.
 */
public final class ReconciliationHandler {
    private final PeerReconciliation reconciliation;

    public ReconciliationHandler(PeerReconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    /**
     * One kept exchange: {@code direction} "sent" (our report, the peer's answer) or "answered"
     * (the peer's report, our answer); report and answer are base64 DER CMS (StatementType RECONCILIATION).
     */
    public record Exchange(int part, int parts, String direction, String peer, String outcome, String at, String report,
                           String answer) {
        static Exchange of(ReconciliationStore.StoredReport r) {
            Base64.Encoder b64 = Base64.getEncoder();
            return new Exchange(r.part(), r.parts(), r.direction(), r.peer(), r.outcome(), r.at().toString(),
                    b64.encodeToString(r.report()), b64.encodeToString(r.answer()));
        }
    }

    public record Day(String day, List<Exchange> reports) {
    }

    /** {@code ?day=YYYY-MM-DD}: every signed report and answer of that day kept here, oldest first. */
    public Response auditReconciliations(ApiRequest r) {
        AuditHandler.requireAuditor(r);
        String v = r.param("day").orElseThrow(() -> new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, "day"));
        LocalDate day;
        try {
            day = LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new PuenteException(ErrorCode.INVALID_FORMAT, "date for \"day\" (2026-11-28)");
        }
        return AuditHandler.json(new Day(day.toString(), reconciliation.reports(day).stream().map(Exchange::of).toList()));
    }
}
