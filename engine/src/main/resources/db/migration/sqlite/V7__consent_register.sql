-- The consent register (issue 17, point 2): the same table as PostgreSQL's V9, in SQLite's types.
CREATE TABLE disclosure_consent (
    message_id          TEXT    NOT NULL PRIMARY KEY,
    original_message_id TEXT    NOT NULL,
    kind                TEXT    NOT NULL,
    provider_agency     TEXT    NOT NULL,
    holder_agency       TEXT    NOT NULL,
    recipient_name      TEXT    NOT NULL,
    recipient_key       TEXT    NOT NULL,
    recipient_type      TEXT    NOT NULL,
    purpose             TEXT    NOT NULL,
    decision            TEXT,
    conditions_json     TEXT    NOT NULL,
    valid_until         TEXT,
    at                  TEXT    NOT NULL
);
CREATE INDEX disclosure_consent_question ON disclosure_consent (original_message_id, recipient_key, kind, at);
