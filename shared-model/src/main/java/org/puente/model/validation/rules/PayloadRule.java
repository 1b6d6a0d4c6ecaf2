package org.puente.model.validation.rules;

/**
 * Domain and cross-field checks of one message type that JSON Schema cannot express (check digits,
 * code lists, relations between fields and with the header).
 *
 * <p>Rules run even when the payload schema found errors, so they must read the payload
 * defensively (a field may be missing or of the wrong type) and must not report a field that
 * already has an error ({@link RuleContext#hasErrorAt}).
 */
@FunctionalInterface
public interface PayloadRule {

    void check(RuleContext context);
}
