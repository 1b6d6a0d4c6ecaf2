-- Business acknowledgements (issue 17, point 5): the same table as PostgreSQL's V7, in SQLite's types.
CREATE TABLE business_answer (
    message_id    TEXT    NOT NULL PRIMARY KEY,
    direction     TEXT    NOT NULL,
    agency        TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    answer_json   TEXT    NOT NULL,
    answered_at   TEXT    NOT NULL,
    answered_by   TEXT    NOT NULL,
    notice        BLOB,
    sent_at       TEXT
);
