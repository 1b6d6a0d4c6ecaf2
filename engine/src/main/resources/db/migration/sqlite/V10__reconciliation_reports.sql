-- The daily reconciliation's signed exchanges kept as evidence (issue 15): the same table as
-- PostgreSQL's V12, in SQLite's types. Append-only like the other audit tables.
CREATE TABLE audit_reconciliation_report (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    period_day  TEXT    NOT NULL,
    part        INTEGER NOT NULL,
    parts       INTEGER NOT NULL,
    direction   TEXT    NOT NULL CHECK (direction IN ('sent', 'answered')),
    peer        TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    report      BLOB    NOT NULL,
    answer      BLOB    NOT NULL
);
CREATE INDEX ix_reconciliation_report_day ON audit_reconciliation_report (period_day, id);

CREATE TRIGGER audit_reconciliation_report_no_update BEFORE UPDATE ON audit_reconciliation_report
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_reconciliation_report is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_reconciliation_report_no_delete BEFORE DELETE ON audit_reconciliation_report
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_reconciliation_report is append-only: DELETE refused');
END;
