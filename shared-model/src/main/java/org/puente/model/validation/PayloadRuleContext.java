package org.puente.model.validation;

import com.fasterxml.jackson.databind.JsonNode;
import org.puente.model.AgencyRef;
import org.puente.model.error.ErrorCode;
import org.puente.model.validation.rules.RuleContext;

/** Gives payload rules the payload and header, and files their findings under {@code /payload}. */
final class PayloadRuleContext implements RuleContext {
    private static final String PREFIX = "/payload";

    private final JsonNode payload;
    private final HeaderView header;
    private final ProblemCollector problems;

    PayloadRuleContext(JsonNode payload, HeaderView header, ProblemCollector problems) {
        this.payload = payload;
        this.header = header;
        this.problems = problems;
    }

    @Override
    public JsonNode payload() {
        return payload;
    }

    @Override
    public String messageType() {
        return header.messageType();
    }

    @Override
    public String schemaVersion() {
        return header.schemaVersion();
    }

    /** Null when the header's sender is in error: rules must not report that one mistake again. */
    @Override
    public AgencyRef sender() {
        return problems.hasErrorAt("/sender") ? null : header.sender();
    }

    /** Null when the header's receiver (or route) is in error, for the same reason. */
    @Override
    public AgencyRef receiver() {
        return problems.hasErrorAt("/receiver") ? null : header.receiver();
    }

    @Override
    public String legalBasis() {
        return header.legalBasis();
    }

    @Override
    public void error(ErrorCode code, String pointer, String... args) {
        problems.error(code, PREFIX + pointer, args);
    }

    @Override
    public void warning(ErrorCode code, String pointer, String... args) {
        problems.warning(code, PREFIX + pointer, args);
    }

    @Override
    public boolean hasErrorAt(String pointer) {
        return problems.hasErrors() && problems.hasErrorAt(PREFIX + pointer);
    }

    @Override
    public boolean hasErrors() {
        return problems.hasErrors();
    }
}
