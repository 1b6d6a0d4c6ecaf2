-- The audit tables are append-only in the database itself (issue 13, point 2; docs/audit.md,
-- "What the database refuses"). Three layers:
--
-- 1. Grants. The gateways run as a role of their own, not as the schema owner. puente_grant_runtime
--    (below) gives that role SELECT and INSERT on the audit tables, UPDATE on the chain head only,
--    and EXECUTE on puente_audit_retire: no UPDATE, DELETE or TRUNCATE of entries, checkpoints or
--    archive records. The owner runs the migrations and calls puente_grant_runtime once per runtime
--    role (and again after an upgrade that adds tables).
-- 2. Triggers, for every role that is not a superuser or the owner disabling them: UPDATE of an
--    entry, a checkpoint or an archive record is refused; DELETE is refused unless it runs inside
--    puente_audit_retire and removes only positions a recorded archive covers; TRUNCATE is refused;
--    the chain head only moves forward, to an entry that is there.
-- 3. Retention: puente_audit_retire is SECURITY DEFINER (it runs as the owner), deletes entries and
--    checkpoints up to a position only when an archive record ends exactly there with that entry's
--    hash and a checkpoint vouches for it, and is the only way a runtime role removes audit rows.
--
-- What it does not stop: the owner or a superuser can drop the triggers. Such an edit is then
-- found by the verifier against the signed checkpoints, exports and the peer's reconciliation.

-- Checkpoints are a chain: each names its predecessor (in its signed content; the column is for
-- the constraint). One successor per predecessor, so two instances cannot fork the chain.
ALTER TABLE audit_checkpoint ADD COLUMN previous_seq BIGINT;
CREATE UNIQUE INDEX uq_audit_checkpoint_previous ON audit_checkpoint (previous_seq);

-- Every new entry carries its chain position (rows written before V2 are left as they are, and the
-- verifier reports them as outside the chain).
ALTER TABLE audit_event ADD CONSTRAINT ck_audit_event_chained
    CHECK (seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL) NOT VALID;

CREATE FUNCTION puente_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' OR TG_OP = 'UPDATE' OR TG_TABLE_NAME = 'audit_archive' THEN
        RAISE EXCEPTION 'puente: % is append-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- DELETE of entries and checkpoints: only retention, inside puente_audit_retire (run as the
    -- owner), of archived positions
    IF current_setting('puente.audit_retiring', true) IS DISTINCT FROM 'on'
            OR NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
            OR OLD.seq IS NULL
            OR OLD.seq > (SELECT COALESCE(MAX(last_seq), 0) FROM audit_archive) THEN
        RAISE EXCEPTION 'puente: % is append-only: DELETE refused outside retention of archived entries', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION puente_audit_guard();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION puente_audit_guard();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION puente_audit_guard();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION puente_audit_guard();
CREATE TRIGGER audit_archive_append_only BEFORE UPDATE OR DELETE ON audit_archive
    FOR EACH ROW EXECUTE FUNCTION puente_audit_guard();
CREATE TRIGGER audit_archive_no_truncate BEFORE TRUNCATE ON audit_archive
    FOR EACH STATEMENT EXECUTE FUNCTION puente_audit_guard();

-- The chain head moves forward only, to an entry that is in the table with that hash.
CREATE FUNCTION puente_audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'puente: audit_chain_head: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.chain_id <> OLD.chain_id OR NEW.seq < OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash <> OLD.hash)
            OR (NEW.seq > 0 AND NOT EXISTS (SELECT 1 FROM audit_event WHERE seq = NEW.seq AND hash = NEW.hash)) THEN
        RAISE EXCEPTION 'puente: the audit chain head moves forward only, to an entry that is there (from % to %)',
            OLD.seq, NEW.seq USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE OR DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION puente_audit_head_guard();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION puente_audit_head_guard();

-- Retention's only way to remove audit rows: entries and checkpoints up to a position that an
-- archive record (written first, in the same transaction) ends with, with the same hash, where a
-- checkpoint vouches for it. Returns the number of entries removed.
CREATE FUNCTION puente_audit_retire(up_to BIGINT) RETURNS BIGINT
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    removed BIGINT;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit_archive a JOIN audit_event e ON e.seq = a.last_seq
                   WHERE a.last_seq = up_to AND a.last_hash = e.hash)
            OR NOT EXISTS (SELECT 1 FROM audit_checkpoint WHERE seq = up_to AND hash =
                           (SELECT hash FROM audit_event WHERE seq = up_to)) THEN
        RAISE EXCEPTION 'puente: entries up to % are not archived with a checkpoint at their end', up_to
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('puente.audit_retiring', 'on', true);
    DELETE FROM audit_checkpoint WHERE seq <= up_to;
    DELETE FROM audit_event WHERE seq <= up_to;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('puente.audit_retiring', 'off', true);
    RETURN removed;
END
$$;
REVOKE ALL ON FUNCTION puente_audit_retire(BIGINT) FROM PUBLIC;

-- What a runtime role may do, in one place: the owner runs SELECT puente_grant_runtime('role')
-- once per role the gateways connect as, and again after an upgrade that adds tables.
CREATE FUNCTION puente_grant_runtime(runtime NAME) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t RECORD;
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), runtime);
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
        IF t.tablename IN ('audit_event', 'audit_checkpoint', 'audit_archive', 'audit_reconciliation') THEN
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
