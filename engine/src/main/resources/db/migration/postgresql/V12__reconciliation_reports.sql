-- The daily reconciliation's signed exchanges kept as evidence (issue 15; docs/audit.md, "Daily
-- reconciliation with the peer"): per day and part, the report and the answer, both DER CMS
-- (StatementType RECONCILIATION). direction 'sent': we reported, the peer answered; 'answered':
-- the peer reported, we answered. Append-only like the other audit tables.
CREATE TABLE audit_reconciliation_report (
    id          BIGSERIAL    PRIMARY KEY,
    period_day  VARCHAR(10)  NOT NULL,                 -- yyyy-mm-dd, UTC
    part        INTEGER      NOT NULL,
    parts       INTEGER      NOT NULL,
    direction   VARCHAR(8)   NOT NULL CHECK (direction IN ('sent', 'answered')),
    peer        TEXT         NOT NULL,
    outcome     VARCHAR(16)  NOT NULL,                 -- OK or MISMATCH
    at          TIMESTAMPTZ  NOT NULL,
    report      BYTEA        NOT NULL,
    answer      BYTEA        NOT NULL
);
CREATE INDEX ix_reconciliation_report_day ON audit_reconciliation_report (period_day, id);

CREATE TRIGGER audit_reconciliation_report_append_only BEFORE UPDATE OR DELETE ON audit_reconciliation_report
    FOR EACH ROW EXECUTE FUNCTION puente_witness_guard();
CREATE TRIGGER audit_reconciliation_report_no_truncate BEFORE TRUNCATE ON audit_reconciliation_report
    FOR EACH STATEMENT EXECUTE FUNCTION puente_witness_guard();

-- The runtime role gets SELECT and INSERT only on the new table, like the other audit tables.
CREATE OR REPLACE FUNCTION puente_grant_runtime(runtime NAME) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t RECORD;
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), runtime);
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
        IF t.tablename IN ('audit_event', 'audit_checkpoint', 'audit_archive', 'audit_reconciliation',
                           'audit_tree_node', 'audit_cosignature', 'witnessed_checkpoint',
                           'audit_reconciliation_report') THEN
            EXECUTE format('GRANT SELECT, INSERT ON %I TO %I', t.tablename, runtime);
        ELSIF t.tablename = 'audit_chain_head' THEN
            EXECUTE format('GRANT SELECT, UPDATE ON %I TO %I', t.tablename, runtime);
        ELSIF t.tablename = 'flyway_schema_history' THEN
            EXECUTE format('GRANT SELECT ON %I TO %I', t.tablename, runtime);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO %I', t.tablename, runtime);
        END IF;
    END LOOP;
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), runtime);
    EXECUTE format('GRANT EXECUTE ON FUNCTION puente_audit_retire(BIGINT) TO %I', runtime);
END
$$;
REVOKE ALL ON FUNCTION puente_grant_runtime(NAME) FROM PUBLIC;
