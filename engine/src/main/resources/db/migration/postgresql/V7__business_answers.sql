-- Business acknowledgements (issue 17, point 5; docs/api.md, "Answering a message"): the answer a
-- receiving agency gave to a message (GIVEN, on the receiving gateway, until its signed notice
-- reached the peer: sent_at) and the answer a sending gateway received for a message it sent
-- (RECEIVED, with the peer's signed notice as proof). One answer per message: the first stands.
CREATE TABLE business_answer (
    message_id    UUID          NOT NULL PRIMARY KEY,
    direction     VARCHAR(8)    NOT NULL,   -- GIVEN, RECEIVED
    agency        VARCHAR(32)   NOT NULL,   -- the answering agency
    status        VARCHAR(32)   NOT NULL,   -- ACCEPTED, ACCEPTED_WITH_WARNINGS, NOT_READABLE, REFUSED
    answer_json   TEXT          NOT NULL,   -- the answer, canonical JSON (status and reasons)
    answered_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    answered_by   VARCHAR(400)  NOT NULL,   -- GIVEN: the agency client's certificate subject; RECEIVED: the peer gateway
    notice        BYTEA,                    -- RECEIVED: the peer's signed notice
    sent_at       TIMESTAMP WITH TIME ZONE  -- GIVEN: when the peer recorded it
);
