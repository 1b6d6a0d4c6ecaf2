-- Payloads at rest (issue 13, point 7; docs/security.md, "Payloads at rest"): payload columns hold
-- AES-256-GCM ciphertext under the gateway's storage key, and the payloads of finished messages are
-- purged after puente.data.payload-retention while their digests, receipts and states stay.
-- The same tables and columns as PostgreSQL's V5, in SQLite's types.

-- The storage key, only ever stored sealed (CMS, StorageKeyEnvelope); a key rotation seals it again.
CREATE TABLE storage_key (
    key_id        INTEGER NOT NULL PRIMARY KEY,
    wrapped       BLOB    NOT NULL,
    created_at    TEXT    NOT NULL,
    rewrapped_at  TEXT
);

-- payload_key_id: the storage key the payload is encrypted under; NULL for a payload stored as
-- submitted (rows written before this migration), which the payload sweep encrypts.
-- payload_purged_at: when the payload (and the outbox's sealed envelope) was replaced by zero bytes.
ALTER TABLE outbox ADD COLUMN payload_key_id INTEGER;
ALTER TABLE outbox ADD COLUMN payload_purged_at TEXT;
ALTER TABLE inbox ADD COLUMN payload_key_id INTEGER;
ALTER TABLE inbox ADD COLUMN payload_purged_at TEXT;

CREATE INDEX ix_outbox_payload_due ON outbox (state, updated_at) WHERE payload_purged_at IS NULL;
CREATE INDEX ix_inbox_payload_due ON inbox (state, acknowledged_at) WHERE payload_purged_at IS NULL;
CREATE INDEX ix_outbox_payload_clear ON outbox (message_id) WHERE payload_key_id IS NULL AND payload_purged_at IS NULL;
CREATE INDEX ix_inbox_payload_clear ON inbox (message_id) WHERE payload_key_id IS NULL AND payload_purged_at IS NULL;
