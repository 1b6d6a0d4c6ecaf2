-- Cancel and replace (issue 17, point 6): the same table as PostgreSQL's V10, in SQLite's types.
CREATE TABLE message_withdrawal (
    message_id      TEXT    NOT NULL PRIMARY KEY,
    direction       TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    replacement_id  TEXT,
    agency          TEXT    NOT NULL,
    at              TEXT    NOT NULL,
    withdrawn_by    TEXT    NOT NULL,
    notice          BLOB,
    sent_at         TEXT
);
CREATE UNIQUE INDEX message_withdrawal_replacement ON message_withdrawal (replacement_id);
