-- The audit tables are append-only in the database itself (issue 13, point 2; docs/audit.md,
-- "What the database refuses"), as far as SQLite allows: it has no roles, so whoever can write the
-- file can drop these triggers. They stop every statement that runs through SQLite with them in
-- place — a mistaken script, an SQL injection, a tool that "fixes" a row — and retention removes
-- only what a recorded archive covers. The rest is found by the verifier against the signed
-- checkpoints, exports and the peer's reconciliation.

-- Checkpoints are a chain: each names its predecessor; one successor per predecessor.
ALTER TABLE audit_checkpoint ADD COLUMN previous_seq INTEGER;
CREATE UNIQUE INDEX uq_audit_checkpoint_previous ON audit_checkpoint (previous_seq);

-- Every new entry carries its chain position.
CREATE TRIGGER audit_event_chained BEFORE INSERT ON audit_event
    WHEN NEW.seq IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_event rows must carry their chain position');
END;

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_event is append-only: UPDATE refused');
END;

-- Retention deletes entries only after recording the archive that holds them (same transaction).
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    WHEN OLD.seq IS NULL OR OLD.seq > (SELECT COALESCE(MAX(last_seq), 0) FROM audit_archive)
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_event is append-only: DELETE refused outside retention of archived entries');
END;

CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_checkpoint is append-only: UPDATE refused');
END;

CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
    WHEN OLD.seq > (SELECT COALESCE(MAX(last_seq), 0) FROM audit_archive)
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_checkpoint is append-only: DELETE refused outside retention of archived entries');
END;

CREATE TRIGGER audit_archive_no_update BEFORE UPDATE ON audit_archive
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_archive is append-only: UPDATE refused');
END;

CREATE TRIGGER audit_archive_no_delete BEFORE DELETE ON audit_archive
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_archive is append-only: DELETE refused');
END;

-- The chain head moves forward only, to an entry that is in the table with that hash.
CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE ON audit_chain_head
    WHEN NEW.chain_id <> OLD.chain_id OR NEW.seq < OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash <> OLD.hash)
        OR (NEW.seq > 0 AND NOT EXISTS (SELECT 1 FROM audit_event WHERE seq = NEW.seq AND hash = NEW.hash))
BEGIN
    SELECT RAISE(ABORT, 'puente: the audit chain head moves forward only, to an entry that is there');
END;

CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_chain_head: DELETE refused');
END;
