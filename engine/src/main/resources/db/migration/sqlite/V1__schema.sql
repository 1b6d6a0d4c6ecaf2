-- Puente's schema on the embedded SQLite database: the same tables and columns as the PostgreSQL
-- migrations reach (V1 to V3 there), in SQLite's types. SQLite has no time or UUID types: times
-- are fixed-width UTC text with microseconds (they sort as the instants do), ids are text, bytes
-- are BLOBs. Duplicates are prevented by constraints (CONVENTIONS.md 15).

-- Messages accepted from this country's agencies, with their fate at the peer.
CREATE TABLE outbox (
    message_id        TEXT    NOT NULL PRIMARY KEY,
    submitter         TEXT    NOT NULL,
    idempotency_key   TEXT,
    request_sha256    BLOB    NOT NULL,
    message_type      TEXT    NOT NULL,
    receiver          TEXT    NOT NULL,
    priority          INTEGER NOT NULL,            -- 0 URGENT, 1 NORMAL, 2 BULK
    header_json       TEXT    NOT NULL,
    payload           BLOB    NOT NULL,
    payload_sha256    BLOB    NOT NULL,
    envelope          BLOB,
    envelope_sha256   BLOB,
    receipt           BLOB,                        -- the peer's signed receipt or signed rejection
    delivery_notice   BLOB,                        -- the peer's signed delivery notice: proof of delivery
    state             TEXT    NOT NULL,            -- PENDING, RECEIPTED, DELIVERED, FAILED, EXPIRED
    attempts          INTEGER NOT NULL DEFAULT 0,  -- sends to the peer so far
    last_error_code   TEXT,
    last_error_detail TEXT,
    expires_at        TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    CONSTRAINT uq_outbox_idempotency UNIQUE (submitter, idempotency_key)
);
CREATE INDEX ix_outbox_state ON outbox (state, created_at);

CREATE TABLE message_status (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id  TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    error_code  TEXT,
    detail      TEXT,
    CONSTRAINT uq_message_status UNIQUE (message_id, status)
);
CREATE INDEX ix_message_status_message ON message_status (message_id, id);

-- Messages received from the peer gateway: the mailboxes of this country's agencies.
CREATE TABLE inbox (
    mailbox_seq       INTEGER PRIMARY KEY AUTOINCREMENT,   -- the mailbox order (PostgreSQL: an identity column)
    message_id        TEXT    NOT NULL UNIQUE,             -- a second copy is a duplicate, by constraint
    receiver          TEXT    NOT NULL,
    sender            TEXT    NOT NULL,
    message_type      TEXT    NOT NULL,
    header_json       TEXT    NOT NULL,
    payload           BLOB    NOT NULL,
    payload_sha256    BLOB    NOT NULL,
    envelope_sha256   BLOB    NOT NULL,
    receipt           BLOB    NOT NULL,
    state             TEXT    NOT NULL,            -- STORED, ACKNOWLEDGED
    received_at       TEXT    NOT NULL,
    delivered_at      TEXT,
    acknowledged_at   TEXT,
    delivered_via     TEXT                         -- PULL, PUSH or DROP
);
CREATE INDEX ix_inbox_mailbox ON inbox (receiver, state, mailbox_seq);

-- The one durable work queue (docs/architecture.md).
CREATE TABLE work (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    kind              TEXT    NOT NULL,
    ref               TEXT    NOT NULL,
    lane              INTEGER NOT NULL,
    state             TEXT    NOT NULL,            -- READY, DEAD
    attempts          INTEGER NOT NULL DEFAULT 0,
    size_bytes        INTEGER NOT NULL DEFAULT 0,
    run_at            TEXT    NOT NULL,
    expires_at        TEXT    NOT NULL,
    lease_owner       TEXT,
    lease_until       TEXT,
    last_error_code   TEXT,
    last_error_detail TEXT,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    CONSTRAINT uq_work UNIQUE (kind, ref)
);
CREATE INDEX ix_work_due ON work (kind, state, lane, run_at);

CREATE TABLE control (
    name        TEXT NOT NULL PRIMARY KEY,
    value       TEXT NOT NULL,
    reason      TEXT,
    actor       TEXT,
    changed_at  TEXT NOT NULL
);

-- The hash-chained audit log (docs/audit.md).
CREATE TABLE audit_event (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    at               TEXT    NOT NULL,
    country          TEXT    NOT NULL,
    event            TEXT    NOT NULL,
    message_id       TEXT,
    correlation_id   TEXT,
    message_type     TEXT,
    sender           TEXT,
    receiver         TEXT,
    legal_basis      TEXT,
    purpose          TEXT,
    sensitivity      TEXT,
    payload_sha256   TEXT,
    envelope_sha256  TEXT,
    actor            TEXT,
    outcome          TEXT    NOT NULL,
    error_code       TEXT,
    detail           TEXT,
    seq              INTEGER,
    prev_hash        TEXT,
    hash             TEXT,
    CONSTRAINT uq_audit_event_seq UNIQUE (seq)
);
CREATE INDEX ix_audit_message ON audit_event (message_id);
CREATE INDEX ix_audit_at ON audit_event (at);

CREATE TABLE audit_chain_head (
    chain_id    INTEGER NOT NULL PRIMARY KEY,
    seq         INTEGER NOT NULL,
    hash        TEXT    NOT NULL
);
INSERT INTO audit_chain_head (chain_id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_checkpoint (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    seq         INTEGER NOT NULL,
    hash        TEXT    NOT NULL,
    signed_at   TEXT    NOT NULL,
    statement   BLOB    NOT NULL,
    CONSTRAINT uq_audit_checkpoint_seq UNIQUE (seq)
);

CREATE TABLE audit_archive (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    first_seq   INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL,
    last_hash   TEXT    NOT NULL,
    file_name   TEXT    NOT NULL,
    file_sha256 TEXT    NOT NULL,
    archived_at TEXT    NOT NULL,
    CONSTRAINT uq_audit_archive_first UNIQUE (first_seq)
);

CREATE TABLE audit_reconciliation (
    period_day  TEXT NOT NULL PRIMARY KEY,
    outcome     TEXT NOT NULL,
    done_at     TEXT NOT NULL
);
