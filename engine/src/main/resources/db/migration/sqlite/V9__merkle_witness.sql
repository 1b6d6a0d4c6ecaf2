-- The audit log as a Merkle tree, cross-witnessed by the peer (issue 15): the same tables as
-- PostgreSQL's V11, in SQLite's types. Append-only like the other audit tables.

-- Every complete, aligned subtree of the tree whose leaves are the entries' hashes (leaf index =
-- seq - 1): level 0 holds leaf hashes, level k the hash of 2^k leaves starting at idx * 2^k.
-- Built off the hot path, when a checkpoint is signed; kept through retention, so inclusion
-- proofs of archived entries stay possible.
CREATE TABLE audit_tree_node (
    level   INTEGER NOT NULL,
    idx     INTEGER NOT NULL,
    hash    TEXT    NOT NULL,
    PRIMARY KEY (level, idx)
);

-- The peer's cosignatures of our checkpoints (tree size = the checkpoint's seq).
CREATE TABLE audit_cosignature (
    seq          INTEGER NOT NULL PRIMARY KEY,
    witness      TEXT    NOT NULL,
    root_hash    TEXT    NOT NULL,
    cosigned_at  TEXT    NOT NULL,
    statement    BLOB    NOT NULL
);

-- The peer's checkpoints this gateway witnessed: cosigned, or refused and kept as evidence.
CREATE TABLE witnessed_checkpoint (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    origin       TEXT    NOT NULL,
    tree_size    INTEGER NOT NULL,
    root_hash    TEXT    NOT NULL,
    verdict      TEXT    NOT NULL,
    reason       TEXT,
    at           TEXT    NOT NULL,
    checkpoint   BLOB    NOT NULL,
    cosignature  BLOB
);
CREATE INDEX ix_witnessed_origin ON witnessed_checkpoint (origin, verdict, tree_size);

-- RFC 3161 time-stamp tokens of our checkpoints (imprint: SHA-256 of the checkpoint's DER CMS),
-- when a TSA is configured (puente.audit.tsa-url). A checkpoint without its token is the backlog.
CREATE TABLE audit_timestamp (
    seq          INTEGER NOT NULL PRIMARY KEY,
    gen_time     TEXT    NOT NULL,
    tsa          TEXT    NOT NULL,
    token        BLOB    NOT NULL
);

CREATE TRIGGER audit_tree_node_no_update BEFORE UPDATE ON audit_tree_node
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_tree_node is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_tree_node_no_delete BEFORE DELETE ON audit_tree_node
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_tree_node is append-only: DELETE refused');
END;
CREATE TRIGGER audit_cosignature_no_update BEFORE UPDATE ON audit_cosignature
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_cosignature is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_cosignature_no_delete BEFORE DELETE ON audit_cosignature
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_cosignature is append-only: DELETE refused');
END;
CREATE TRIGGER witnessed_checkpoint_no_update BEFORE UPDATE ON witnessed_checkpoint
BEGIN
    SELECT RAISE(ABORT, 'puente: witnessed_checkpoint is append-only: UPDATE refused');
END;
CREATE TRIGGER witnessed_checkpoint_no_delete BEFORE DELETE ON witnessed_checkpoint
BEGIN
    SELECT RAISE(ABORT, 'puente: witnessed_checkpoint is append-only: DELETE refused');
END;
CREATE TRIGGER audit_timestamp_no_update BEFORE UPDATE ON audit_timestamp
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_timestamp is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_timestamp_no_delete BEFORE DELETE ON audit_timestamp
BEGIN
    SELECT RAISE(ABORT, 'puente: audit_timestamp is append-only: DELETE refused');
END;
