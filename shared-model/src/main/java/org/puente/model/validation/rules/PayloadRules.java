package org.puente.model.validation.rules;

import java.util.Map;

/** The payload rules of each message type of the catalogue. */
public final class PayloadRules {
    private static final PayloadRule NONE = context -> { };
    private static final Map<String, PayloadRule> BY_TYPE = Map.of(
            "cargo.manifest", new CargoManifestRules(),
            "cargo.declaration-match", new DeclarationMatchRules(),
            "cargo.transit-event", new TransitEventRules(),
            "targeting.risk-referral", new RiskReferralRules(),
            "targeting.exam-result", new ExamResultRules(),
            "partnership.mra-status", new MraStatusRules(),
            "enforcement.assistance-request", new AssistanceRequestRules(),
            "enforcement.assistance-response", new AssistanceResponseRules(),
            "enforcement.spontaneous-information", new SpontaneousInformationRules(),
            "enforcement.disclosure-consent", new DisclosureConsentRules());

    private PayloadRules() {
    }

    /** The rules of a type; a type without rules (e.g. one added to a test catalogue) gets none. */
    public static PayloadRule forType(String messageType) {
        return BY_TYPE.getOrDefault(messageType, NONE);
    }
}
