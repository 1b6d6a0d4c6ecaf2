-- The audit log as a Merkle tree, cross-witnessed by the peer (issue 15; docs/audit.md, "The
-- Merkle tree" and "Cross-witnessing"). Append-only like the other audit tables.

-- Every complete, aligned subtree of the tree whose leaves are the entries' hashes (leaf index =
-- seq - 1): level 0 holds leaf hashes, level k the hash of 2^k leaves starting at idx * 2^k.
-- Built off the hot path, when a checkpoint is signed; kept through retention, so inclusion
-- proofs of archived entries stay possible.
CREATE TABLE audit_tree_node (
    level   INTEGER NOT NULL,
    idx     BIGINT  NOT NULL,
    hash    TEXT    NOT NULL,
    PRIMARY KEY (level, idx)
);

-- The peer's cosignatures of our checkpoints (tree size = the checkpoint's seq).
CREATE TABLE audit_cosignature (
    seq          BIGINT      NOT NULL PRIMARY KEY,
    witness      TEXT        NOT NULL,
    root_hash    TEXT        NOT NULL,
    cosigned_at  TIMESTAMPTZ NOT NULL,
    statement    BYTEA       NOT NULL
);

-- The peer's checkpoints this gateway witnessed: cosigned, or refused and kept as evidence.
CREATE TABLE witnessed_checkpoint (
    id           BIGSERIAL   PRIMARY KEY,
    origin       TEXT        NOT NULL,
    tree_size    BIGINT      NOT NULL,
    root_hash    TEXT        NOT NULL,
    verdict      TEXT        NOT NULL,
    reason       TEXT,
    at           TIMESTAMPTZ NOT NULL,
    checkpoint   BYTEA       NOT NULL,
    cosignature  BYTEA
);
CREATE INDEX ix_witnessed_origin ON witnessed_checkpoint (origin, verdict, tree_size);

-- RFC 3161 time-stamp tokens of our checkpoints (imprint: SHA-256 of the checkpoint's DER CMS),
-- when a TSA is configured (puente.audit.tsa-url). A checkpoint without its token is the backlog.
CREATE TABLE audit_timestamp (
    seq          BIGINT      NOT NULL PRIMARY KEY,
    gen_time     TIMESTAMPTZ NOT NULL,
    tsa          TEXT        NOT NULL,
    token        BYTEA       NOT NULL
);

CREATE FUNCTION puente_witness_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'puente: % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_tree_node_append_only BEFORE UPDATE OR DELETE ON audit_tree_node
    FOR EACH ROW EXECUTE FUNCTION puente_witness_guard();
CREATE TRIGGER audit_tree_node_no_truncate BEFORE TRUNCATE ON audit_tree_node
    FOR EACH STATEMENT EXECUTE FUNCTION puente_witness_guard();
CREATE TRIGGER audit_cosignature_append_only BEFORE UPDATE OR DELETE ON audit_cosignature
    FOR EACH ROW EXECUTE FUNCTION puente_witness_guard();
CREATE TRIGGER audit_cosignature_no_truncate BEFORE TRUNCATE ON audit_cosignature
    FOR EACH STATEMENT EXECUTE FUNCTION puente_witness_guard();
CREATE TRIGGER witnessed_checkpoint_append_only BEFORE UPDATE OR DELETE ON witnessed_checkpoint
    FOR EACH ROW EXECUTE FUNCTION puente_witness_guard();
CREATE TRIGGER witnessed_checkpoint_no_truncate BEFORE TRUNCATE ON witnessed_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION puente_witness_guard();
CREATE TRIGGER audit_timestamp_append_only BEFORE UPDATE OR DELETE ON audit_timestamp
    FOR EACH ROW EXECUTE FUNCTION puente_witness_guard();
CREATE TRIGGER audit_timestamp_no_truncate BEFORE TRUNCATE ON audit_timestamp
    FOR EACH STATEMENT EXECUTE FUNCTION puente_witness_guard();

-- The runtime role gets SELECT and INSERT only on the new tables, like the other audit tables.
CREATE OR REPLACE FUNCTION puente_grant_runtime(runtime NAME) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t RECORD;
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), runtime);
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
        IF t.tablename IN ('audit_event', 'audit_checkpoint', 'audit_archive', 'audit_reconciliation',
                           'audit_tree_node', 'audit_cosignature', 'witnessed_checkpoint', 'audit_timestamp') THEN
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
