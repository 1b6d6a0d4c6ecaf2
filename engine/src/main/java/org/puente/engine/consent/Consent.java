package org.puente.engine.consent;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One entry of the consent register: a request for, or a decision on, consent to pass a message
 * received under the CMAA on to another authority or to use it for another purpose.
 *
 * @param messageId        the {@code enforcement.disclosure-consent} message that carried it
 * @param originalMessageId the message the consent is about
 * @param kind             {@code REQUEST} or {@code DECISION}
 * @param provider         the agency that provided the original message (and decides), e.g. {@code US/ICE-HSI}
 * @param holder           the agency that received it (and asks), e.g. {@code MX/ANAM}
 * @param recipientName    the onward recipient
 * @param recipientType    PROSECUTOR, COURT, LAW_ENFORCEMENT, TAX_AUTHORITY or OTHER
 * @param purpose          what the information would be used for
 * @param decision         GRANTED, GRANTED_WITH_CONDITIONS or DENIED; none for a request
 * @param conditions       the conditions of a grant
 * @param validUntil       end of the grant's validity (midnight UTC after {@code validUntil}), if any
 * @param at               when the sending gateway accepted the consent message (its signed header's
 *                         {@code createdAt}): the same on both gateways, so both order decisions alike
 */
public record Consent(UUID messageId, UUID originalMessageId, String kind, String provider, String holder,
                      String recipientName, String recipientType, String purpose, String decision, List<String> conditions,
                      Instant validUntil, Instant at) {
    public static final String REQUEST = "REQUEST";
    public static final String DECISION = "DECISION";

    public boolean grants() {
        return decision != null && decision.startsWith("GRANTED");
    }
}
