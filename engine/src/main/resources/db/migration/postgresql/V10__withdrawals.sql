-- Cancel and replace (issue 17, point 6; docs/api.md, "Cancelling or replacing a message"): the
-- sending agency withdrew a message it sent (SENT, on the sending gateway, until the peer recorded
-- the signed notice: sent_at), or the peer's agency withdrew a message we received (RECEIVED, with
-- the peer's signed notice as proof). One withdrawal per message: the first stands.
CREATE TABLE message_withdrawal (
    message_id      UUID          NOT NULL PRIMARY KEY,
    direction       VARCHAR(8)    NOT NULL,   -- SENT, RECEIVED
    kind            VARCHAR(9)    NOT NULL,   -- CANCELLED, REPLACED
    reason          VARCHAR(500)  NOT NULL,
    replacement_id  UUID,                     -- REPLACED: the message that replaces it
    agency          VARCHAR(32)   NOT NULL,   -- the sending agency that withdrew it
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    withdrawn_by    VARCHAR(400)  NOT NULL,   -- SENT: the agency client's certificate subject; RECEIVED: the peer gateway
    notice          BYTEA,                    -- RECEIVED: the peer's signed notice
    sent_at         TIMESTAMP WITH TIME ZONE  -- SENT: when the peer recorded it
);
CREATE UNIQUE INDEX message_withdrawal_replacement ON message_withdrawal (replacement_id);
