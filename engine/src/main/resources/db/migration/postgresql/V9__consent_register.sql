-- The consent register (issue 17, point 2; docs/api.md, "Consent to disclose"): every request for,
-- and decision on, onward disclosure of a message received under the CMAA, recorded against that
-- message on both gateways. The latest decision on (message, recipient, purpose) answers.
CREATE TABLE disclosure_consent (
    message_id          UUID          NOT NULL PRIMARY KEY,  -- the enforcement.disclosure-consent message
    original_message_id UUID          NOT NULL,              -- the message it is about
    kind                VARCHAR(8)    NOT NULL,              -- REQUEST, DECISION
    provider_agency     VARCHAR(32)   NOT NULL,              -- gave the information, decides
    holder_agency       VARCHAR(32)   NOT NULL,              -- received it, asks
    recipient_name      VARCHAR(200)  NOT NULL,
    recipient_key       VARCHAR(200)  NOT NULL,              -- the name without case or surrounding space
    recipient_type      VARCHAR(16)   NOT NULL,
    purpose             VARCHAR(1000) NOT NULL,
    decision            VARCHAR(24),                         -- GRANTED, GRANTED_WITH_CONDITIONS, DENIED
    conditions_json     TEXT          NOT NULL,              -- JSON list of the grant's conditions
    valid_until         TIMESTAMP WITH TIME ZONE,            -- midnight UTC after the grant's validUntil
    at                  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX disclosure_consent_question ON disclosure_consent (original_message_id, recipient_key, kind, at);
