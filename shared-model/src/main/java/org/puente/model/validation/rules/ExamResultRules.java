package org.puente.model.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.puente.model.error.ErrorCode;

/**
 * {@code targeting.exam-result}: the examining port is in the sending country, the container is
 * well formed, and new seals are reported only by an exam that can break seals (a scan or a
 * document review leaves the original seals in place).
 */
final class ExamResultRules implements PayloadRule {

    @Override
    public void check(RuleContext ctx) {
        JsonNode p = ctx.payload();
        FieldChecks.portIn(ctx, p.get("port"), "/port", ctx.sender() == null ? null : ctx.sender().country(),
                ErrorCode.PORT_NOT_IN_SENDER_COUNTRY);
        FieldChecks.container(ctx, p, "containerNumber", "");
        String examType = FieldChecks.text(p, "examType");
        if ("NII_SCAN".equals(examType) || "DOCUMENT_REVIEW".equals(examType)) {
            FieldChecks.notAllowed(ctx, p, "", "examType = " + examType, "newSeals");
        }
    }
}
