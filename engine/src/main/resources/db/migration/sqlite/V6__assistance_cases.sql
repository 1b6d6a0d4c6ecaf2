-- Mutual-assistance cases (issue 17, point 1): the same tables as PostgreSQL's V8, in SQLite's types.
CREATE TABLE assistance_case (
    case_id        TEXT    NOT NULL PRIMARY KEY,
    role           TEXT    NOT NULL,
    reference      TEXT    NOT NULL,
    our_agency     TEXT    NOT NULL,
    peer_agency    TEXT    NOT NULL,
    legal_basis    TEXT    NOT NULL,
    urgency        TEXT    NOT NULL,
    confirm_by     TEXT,
    respond_by     TEXT,
    due_at         TEXT,
    state          TEXT    NOT NULL,
    outcome        TEXT,
    opened_at      TEXT    NOT NULL,
    closed_at      TEXT,
    overdue_since  TEXT
);
CREATE INDEX assistance_case_agency ON assistance_case (our_agency, opened_at);
CREATE INDEX assistance_case_reference ON assistance_case (reference);

CREATE TABLE case_event (
    case_id      TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    at           TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    message_id   TEXT,
    detail       TEXT,
    PRIMARY KEY (case_id, seq)
);
