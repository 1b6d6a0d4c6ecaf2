-- Mutual-assistance cases (issue 17, point 1; docs/api.md, "Assistance cases"): one row per
-- enforcement.assistance-request, on both gateways, keyed by the request's message id; its
-- history (opened, deferred, answered, follow-ups, overdue) in case_event, in order.
CREATE TABLE assistance_case (
    case_id        UUID          NOT NULL PRIMARY KEY,
    role           VARCHAR(12)   NOT NULL,   -- REQUESTING (our agency asked), REQUESTED (our agency is asked)
    reference      VARCHAR(40)   NOT NULL,   -- the requesting administration's file number
    our_agency     VARCHAR(32)   NOT NULL,   -- e.g. US/ICE-HSI
    peer_agency    VARCHAR(32)   NOT NULL,
    legal_basis    VARCHAR(64)   NOT NULL,
    urgency        VARCHAR(8)    NOT NULL,   -- URGENT, NORMAL
    confirm_by     TIMESTAMP WITH TIME ZONE, -- an urgent request's written confirmation (a first response)
    respond_by     TIMESTAMP WITH TIME ZONE, -- the response's deadline (the request's, or a deferral's)
    due_at         TIMESTAMP WITH TIME ZONE, -- the next deadline to meet; none once closed
    state          VARCHAR(8)    NOT NULL,   -- OPEN, DEFERRED, CLOSED
    outcome        VARCHAR(12),              -- the closing response's: FULFILLED, PARTIAL, REFUSED
    opened_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    closed_at      TIMESTAMP WITH TIME ZONE,
    overdue_since  TIMESTAMP WITH TIME ZONE  -- due_at passed unmet
);
CREATE INDEX assistance_case_agency ON assistance_case (our_agency, opened_at);
CREATE INDEX assistance_case_reference ON assistance_case (reference);

CREATE TABLE case_event (
    case_id      UUID          NOT NULL,
    seq          INTEGER       NOT NULL,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    event        VARCHAR(12)   NOT NULL,   -- OPENED, DEFERRED, ANSWERED, FOLLOW_UP, OVERDUE
    message_id   UUID,                     -- the message that made it; none for OVERDUE
    detail       VARCHAR(400),
    PRIMARY KEY (case_id, seq)
);
